/**
 * What `lab prefetch DIR` writes, and where the lab looks for it when LAB_PREFETCH_DIR=DIR:
 *
 *   DIR/keycloak/keycloak-quarkus-dist-<version>.zip   the distribution `lab up` unpacks
 *   DIR/python/                                         the Python server's wheels (requirements.lock)
 *   DIR/npm/                                            an npm cache: `npm ci --offline --cache DIR/npm`
 *   DIR/images.tar                                      the compose images: `docker load -i DIR/images.tar`
 *   DIR/README.txt                                      these lines, for the person with the USB stick
 */
import path from 'node:path';

export const prefetchedKeycloakZip = (dir: string, version: string) => path.join(dir, 'keycloak', `keycloak-quarkus-dist-${version}.zip`);
export const prefetchedPythonWheels = (dir: string) => path.join(dir, 'python');
export const prefetchedNpmCache = (dir: string) => path.join(dir, 'npm');
export const prefetchedImages = (dir: string) => path.join(dir, 'images.tar');
