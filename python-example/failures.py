"""Turns what went wrong into one line a newcomer can act on.

Follows the Serverless troubleshooting order: address, port, TLS (trust, host name, SNI), credentials. The causes
are Python's own exceptions (the ssl module's, which carry OpenSSL's verdict, and the socket errors) and the
CONNACK's reason code. MQTT_DEBUG=true adds the traceback.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import sys
import traceback
from typing import Mapping, Optional

from example_settings import Settings, SettingsError
from round_trip import Stalled

# CONNACK refusals, as paho-mqtt reports them for MQTT 3.1.1 too (it turns return codes 2, 4 and 5 into these).
CLIENT_IDENTIFIER_NOT_VALID = 0x85
BAD_USERNAME_OR_PASSWORD = 0x86
NOT_AUTHORIZED = 0x87
# OpenSSL's verification results (X509_V_ERR_*), in SSLCertVerificationError.verify_code.
_NOT_YET_VALID, _EXPIRED = 9, 10
_HOSTNAME_MISMATCH, _IP_ADDRESS_MISMATCH = 62, 64


class ConnackRefused(Exception):
    """The broker refused the connection in its CONNACK, with this reason code."""

    def __init__(self, reason_code: int, text: str) -> None:
        super().__init__(f"CONNACK {text} (0x{reason_code:02X})")
        self.reason_code = reason_code


class SubscriptionRefused(Exception):
    """The broker refused the subscription (SUBACK 0x80): the ACL, or Serverless' subscription quota."""


class ConnectTimeout(Exception):
    """No answer within the bound (10 s)."""


class UnansweredConnect(Exception):
    """The first connect got through TLS but no CONNACK came within the bound (10 s).

    The server accepted the connection and never answered the MQTT CONNECT, as a deployment that is starting or
    overloaded may, or something in between that speaks TLS but not MQTT. The network is fine then, so the line must
    not say that the connection timed out.
    """


def report(error: BaseException, settings: Optional[Settings], env: Mapping[str, str]) -> int:
    """Prints the one-line error (and the traceback with MQTT_DEBUG=true) and returns the exit code."""
    print(f"ERROR: {describe(error, settings)}", file=sys.stderr, flush=True)
    if (env.get("MQTT_DEBUG") or "").lower() == "true":
        traceback.print_exception(error, file=sys.stderr)
    return 2 if isinstance(error, SettingsError) else 1


def describe(error: BaseException, settings: Optional[Settings]) -> str:
    """The line after "ERROR: ". settings is None when reading them failed."""
    if isinstance(error, SettingsError):
        return str(error)
    line = _describe_connection_failure(error, settings)
    if settings is not None and _is_ip_address(settings.host):
        line += (f" MQTT_HOST {settings.host} is an IP address: Serverless needs the deployment's domain name,"
                 " which the client sends as SNI and checks against the certificate.")
    return line


def reason(disconnect_reason: str) -> str:
    """Why a connection dropped, in a few words for the "Connection lost (...)" line.

    paho-mqtt hands on_disconnect a reason code, not the socket's error: "Unspecified error" for a connection
    that broke (the server closed it, or the network dropped it), "Keep alive timeout" when pings went unanswered.
    """
    if disconnect_reason == "Unspecified error":
        return "the server closed the connection or the network dropped it"
    return disconnect_reason


def _is_ip_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return False


def _describe_connection_failure(error: BaseException, settings: Optional[Settings]) -> str:
    text = str(error)
    if isinstance(error, Stalled):
        # Over the publish rate, Serverless drops a message but still acknowledges it to an MQTT 3.1.1 client.
        rate = "" if not error.not_back else (
            " Check also the publish rate: over 10 messages per second per client a Serverless deployment drops"
            " messages without telling an MQTT 3.1.1 client (MQTT_PUBLISH_RATE, default 10).")
        return (f"{text}. Check that the user's ACL allows it to publish and subscribe on MQTT_TOPIC, and, if the"
                " connection was lost, that the deployment is running (its status in the console)." + rate)
    if isinstance(error, SubscriptionRefused):
        return ("The broker refused the subscription to MQTT_TOPIC (SUBACK 0x80 failure)."
                " Check that the user's ACL allows it to subscribe to that topic (the deployment's Authorization page),"
                " and Serverless' subscription quota: at most 10 subscriptions per client and 10 levels per topic filter.")
    code = error.reason_code if isinstance(error, ConnackRefused) else None
    if code == CLIENT_IDENTIFIER_NOT_VALID:
        length = 0 if settings is None else len(settings.client_id)
        return (f"The broker rejected the client id (MQTT_CLIENT_ID, {length} characters). Use a shorter one:"
                " Serverless accepts up to 1024 characters, some deployments only 23 for MQTT 3.x; 23 or fewer"
                " works everywhere.")
    if code == BAD_USERNAME_OR_PASSWORD:
        return ("The broker refused the username or password (CONNACK: bad user name or password)."
                " Check MQTT_USERNAME and MQTT_PASSWORD against the deployment's Authentication page.")
    if code == NOT_AUTHORIZED:
        return ("The broker refused the connection: not authorized (CONNACK)."
                " Check that MQTT_USERNAME exists on this deployment and that its ACL allows it to connect.")
    if isinstance(error, ssl.SSLCertVerificationError):
        if error.verify_code in (_EXPIRED, _NOT_YET_VALID):
            return ("The server's certificate has expired or is not yet valid."
                    " Check the machine's clock; if it is right, the server is not the deployment you meant.")
        if error.verify_code in (_HOSTNAME_MISMATCH, _IP_ADDRESS_MISMATCH):
            return ("The server's certificate does not match the host name in MQTT_HOST."
                    " Use the deployment's address exactly as the console shows it, not an IP address or a CNAME.")
        return ("The server's certificate is not trusted by the CA in use."
                " Set MQTT_CA_FILE to the deployment's emqxsl-ca.crt from the console, or unset it to use"
                " the system's default trust store, which already trusts Serverless' DigiCert root.")
    if isinstance(error, socket.gaierror):
        return ("The host name in MQTT_HOST could not be resolved."
                " Check its spelling against the console and that this machine's DNS works.")
    if isinstance(error, ConnectionRefusedError):
        return ("Could not reach the server: connection refused."
                " Check MQTT_HOST and MQTT_PORT: Serverless offers 8883 (MQTT over TLS) and 8084"
                " (MQTT over WebSocket with TLS); 1883 and 8083 are not offered.")
    if isinstance(error, UnansweredConnect):
        # TLS completed, so the network is fine: pointing at it (the line below) would send the user astray.
        return ("The server accepted the connection (TLS completed) but never answered the MQTT CONNECT within 10 s."
                " Usually the deployment is starting or overloaded: check its status in the console and try again in"
                " a minute. If it lasts, something between this machine and the deployment (a proxy or load balancer)"
                " may speak TLS but not MQTT: connect to the deployment's address and port 8883 directly.")
    if isinstance(error, (ConnectTimeout, TimeoutError, socket.timeout)):
        return ("The connection timed out."
                " Check that MQTT_HOST and MQTT_PORT (8883) are right and that a firewall or proxy"
                " lets this machine reach them (try: nc -vz HOST 8883).")
    ssl_reason = getattr(error, "reason", None) if isinstance(error, ssl.SSLError) else None
    # A server that offers only TLS 1.0/1.1, or one that refuses every version offered (alert protocol_version).
    if ssl_reason in ("UNSUPPORTED_PROTOCOL", "TLSV1_ALERT_PROTOCOL_VERSION", "NO_PROTOCOLS_AVAILABLE"):
        return ("The server and this client share no TLS version (the server offered only an old one, or"
                " refused the ones offered). Serverless speaks TLS 1.2 and 1.3: check that MQTT_HOST and"
                " MQTT_PORT are the deployment's, and that this Python's OpenSSL allows TLS 1.2 and 1.3.")
    # What OpenSSL says when the first bytes back are not a TLS record.
    if ssl_reason in ("WRONG_VERSION_NUMBER", "PACKET_LENGTH_TOO_LONG", "RECORD_LAYER_FAILURE", "HTTP_REQUEST"):
        return ("The server did not answer with TLS: MQTT_PORT is not a TLS port."
                " Serverless offers 8883 (MQTT over TLS) and 8084 (MQTT over WebSocket with TLS).")
    # Closed during the handshake: an EOF that violates the protocol, or a reset.
    if isinstance(error, (ssl.SSLEOFError, ssl.SSLZeroReturnError, ConnectionResetError, BrokenPipeError)) \
            or ssl_reason in ("UNEXPECTED_EOF_WHILE_READING", "SSLV3_ALERT_HANDSHAKE_FAILURE"):
        return ("The server closed the connection during the TLS handshake."
                " Serverless refuses clients that do not send the deployment's domain as SNI: MQTT_HOST must be"
                " that domain (not an IP address, not a CNAME); and check that MQTT_PORT is a TLS port (8883).")
    return (f"Unexpected failure: {type(error).__name__}: {text}."
            " Run again with MQTT_DEBUG=true for the traceback, and include it in a support ticket"
            " (with the deployment, client type and version, and your code without the password).")
