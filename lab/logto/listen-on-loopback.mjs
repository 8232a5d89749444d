/**
 * Preloaded into Logto (`node --import <this file> .`, lab/logto/logto-process.ts). Logto's core
 * calls `app.listen(port)` and has no host setting, so it would listen on every interface; this
 * makes a `listen(port)` or `listen(port, callback)` without a host listen on 127.0.0.1, as the
 * lab's other services do. A listen that names its host is left alone.
 */
import net from 'node:net';

const loopback = '127.0.0.1';
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function listenOnLoopback(...args) {
  if (typeof args[0] === 'number' && (args.length === 1 || typeof args[1] === 'function')) {
    args.splice(1, 0, loopback);
  }
  return listen.apply(this, args);
};
