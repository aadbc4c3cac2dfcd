'use strict';
// Test support, never part of an example: makes a Node.js example resolve host names through a hosts file, as
// the harness's Java programs do with -Djdk.net.hosts.file, so that the test deployment's name
// (deployment.emqxsl.test) reaches the local broker without an entry in /etc/hosts. The example itself is
// untouched: it still connects by that name, sends it as SNI and checks the certificate against it.
//
//   SERVERLESS_HOSTS_FILE=/path/to/hosts NODE_OPTIONS="--require=/abs/path/to/hosts-file-lookup.cjs" node example.js
//
// The file has the hosts(5) format: "127.0.0.1 deployment.emqxsl.test other.emqxsl.test", '#' starts a comment.
// As with the JDK's jdk.net.hosts.file, a name the file does not list does not resolve (ENOTFOUND); an IP address
// is used as it is. Only dns.lookup is replaced: it is what net.connect and tls.connect use by default.

const dns = require('node:dns');
const fs = require('node:fs');
const net = require('node:net');

const file = process.env.SERVERLESS_HOSTS_FILE;
if (file) {
  const addresses = new Map(); // lower-case name -> [{ address, family }]
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const [address, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
    if (names.length === 0 || net.isIP(address) === 0) {
      continue;
    }
    for (const name of names) {
      const key = name.toLowerCase();
      addresses.set(key, [...(addresses.get(key) ?? []), { address, family: net.isIP(address) }]);
    }
  }

  const lookup = (hostname, options, callback) => {
    if (typeof options === 'function') {
      callback = options;
      options = {};
    }
    options = typeof options === 'number' ? { family: options } : (options ?? {});
    const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : Number(options.family ?? 0);
    const literal = net.isIP(hostname);
    const found = (literal !== 0 ? [{ address: hostname, family: literal }] : addresses.get(String(hostname).toLowerCase()) ?? [])
      .filter((entry) => family === 0 || entry.family === family);
    process.nextTick(() => {
      if (found.length === 0) {
        const error = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
        Object.assign(error, { code: 'ENOTFOUND', errno: -3008, syscall: 'getaddrinfo', hostname });
        callback(error);
      } else if (options.all) {
        callback(null, found.map((entry) => ({ ...entry })));
      } else {
        callback(null, found[0].address, found[0].family);
      }
    });
  };
  dns.lookup = lookup;
}
