#!/bin/sh
# The part of the official nginx image's entrypoint the lab relies on: each
# /etc/nginx/templates/NAME.template becomes /etc/nginx/conf.d/NAME, with ${VAR} replaced for
# the variables the environment defines (and nothing else: nginx's own $host etc. stay).
set -eu
if [ "${1:-}" = nginx ]; then
  defined=$(env | cut -d= -f1 | sed 's/.*/${&}/' | tr '\n' ' ')
  for template in /etc/nginx/templates/*.template; do
    [ -f "$template" ] || continue
    output="/etc/nginx/conf.d/$(basename "$template" .template)"
    envsubst "$defined" < "$template" > "$output"
    echo "$0: rendered $template to $output"
  done
fi
exec "$@"
