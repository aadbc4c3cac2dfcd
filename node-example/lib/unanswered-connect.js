'use strict';
// A first connect that got through TLS but never got its CONNACK: the server accepted the connection and never
// answered the MQTT CONNECT, as a deployment that is starting or overloaded may, or something in between that speaks
// TLS but not MQTT. The network is fine then, so the line must not say that the connection timed out. MQTT.js times
// the CONNACK from before the TLS handshake ("connack timeout"), so a timeout alone does not tell the two apart; the
// TLS socket's 'secureConnect' does.

/** The server completed TLS and never answered the MQTT CONNECT within the first connect's bound. */
class UnansweredConnect extends Error {}

/**
 * Watches the TLS handshake of `client`'s connection (just made: MQTT.js sets up its stream in mqtt.connect()). The
 * function it returns makes a first connect's timeout an UnansweredConnect once TLS has completed, and leaves it as
 * it is otherwise.
 */
function watchTls(client) {
  let tlsCompleted = false;
  client.stream.once('secureConnect', () => {
    tlsCompleted = true;
  });
  return (timeout) => (tlsCompleted ? new UnansweredConnect(`${timeout.message}, after TLS completed`) : timeout);
}

module.exports = { UnansweredConnect, watchTls };
