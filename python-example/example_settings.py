"""The connection settings, read from MQTT_* environment variables and checked before anything connects.

A missing or malformed one ends the run with a SettingsError naming the variable (exit code 2).
"""

from __future__ import annotations

import dataclasses
import os
import re
import secrets
from typing import Mapping, Optional

DEFAULT_TLS_PORT = 8883
# MQTT encodes a topic name's length in two bytes.
MAX_TOPIC_BYTES = 65535
# What a Serverless deployment allows one client to publish: 10 messages per second.
DEFAULT_PUBLISH_RATE = 10
WHOLE_NUMBER = re.compile(r"[0-9]+")


class SettingsError(Exception):
    """A missing or malformed setting: the message names the variable and what to put in it."""


@dataclasses.dataclass(frozen=True)
class Settings:
    host: str
    port: int
    username: str
    # repr=False: a logged settings object never shows the password.
    password: str = dataclasses.field(repr=False)
    ca_file: Optional[str]
    topic: str
    client_id: str
    messages: int
    publish_rate: int

    def trust_description(self) -> str:
        """What the example trusts, in words for the first line it prints."""
        return "system default trust store" if self.ca_file is None else f"MQTT_CA_FILE {self.ca_file}"


def from_environment(env: Mapping[str, str], client_id_prefix: str) -> Settings:
    """Reads the settings from env (os.environ).

    Without MQTT_CLIENT_ID the client id is client_id_prefix and 8 random hex digits, 23 characters at most:
    the MQTT 3.1.1 limit (and some deployments'), so a default id is accepted everywhere.
    """
    # The domain name alone: a pasted URL (scheme, port or path) is refused with what to set instead.
    host = domain_only(_required(env, "MQTT_HOST",
                                 "your deployment's address from the console, e.g. xxxxxxxx.ala.us-east-1.emqxsl.com"))
    port = _port(env)
    username = _required(env, "MQTT_USERNAME", "a user from the deployment's Authentication page")
    password = _required(env, "MQTT_PASSWORD", "that user's password")
    ca_file = _ca_file(env)
    client_id = _optional(env, "MQTT_CLIENT_ID") or f"{client_id_prefix}-{secrets.token_hex(4)}"
    topic_setting = _optional(env, "MQTT_TOPIC")
    topic = _check_topic(topic_setting) if topic_setting is not None else f"serverless-examples/{client_id}"
    return Settings(host, port, username, password, ca_file, topic, client_id, _messages(env), _publish_rate(env))


def _required(env: Mapping[str, str], name: str, hint: str) -> str:
    value = _optional(env, name)
    if value is None:
        raise SettingsError(f"{name} is not set: export {name}=<{hint}>")
    return value


def _optional(env: Mapping[str, str], name: str) -> Optional[str]:
    """An empty value counts as not set."""
    value = (env.get(name) or "").strip()
    return value or None


def _ca_file(env: Mapping[str, str]) -> Optional[str]:
    """MQTT_CA_FILE: a readable file holding at least one PEM certificate; a directory is named as such."""
    path = _optional(env, "MQTT_CA_FILE")
    if path is None:
        return None
    if os.path.isdir(path):
        raise SettingsError(f"MQTT_CA_FILE={path} is a directory: give the path of the CA file itself"
                            " (emqxsl-ca.crt, PEM), or unset it to use the system's default trust store")
    try:
        with open(path, "rb") as pem:
            text = pem.read()
    except OSError:
        raise SettingsError(f"MQTT_CA_FILE={path} cannot be read: give the path of the deployment's CA file"
                            " (emqxsl-ca.crt, PEM), or unset it to use the system's default trust store") from None
    if b"-----BEGIN CERTIFICATE-----" not in text:
        raise SettingsError(f"MQTT_CA_FILE={path} holds no PEM certificate: download the deployment's CA file"
                            " (emqxsl-ca.crt) from the console, or unset MQTT_CA_FILE")
    return path


def _check_topic(topic: str) -> str:
    """MQTT_TOPIC is where the example publishes, so it must be a valid topic name.

    No wildcard (those are for subscribing), no U+0000, at most 65535 bytes in UTF-8. The value is not echoed:
    it may be huge.
    """
    size = len(topic.encode("utf-8", "surrogatepass"))
    if size > MAX_TOPIC_BYTES:
        raise SettingsError(f"MQTT_TOPIC is {size} bytes long in UTF-8, and MQTT allows at most {MAX_TOPIC_BYTES}"
                            ": set a shorter topic, e.g. MQTT_TOPIC=serverless-examples/test, or unset it")
    if "\0" in topic:
        raise SettingsError("MQTT_TOPIC contains the character U+0000, which MQTT does not allow in a topic"
                            ": set a plain topic name, e.g. MQTT_TOPIC=serverless-examples/test, or unset it")
    if "+" in topic or "#" in topic:
        wildcard = "'#'" if "#" in topic else "'+'"
        raise SettingsError(f"MQTT_TOPIC contains the wildcard {wildcard}: the example publishes to this topic,"
                            " so it must be a plain topic name without + or #, e.g."
                            " MQTT_TOPIC=serverless-examples/test (wildcards are for subscribing)")
    return topic


def _port(env: Mapping[str, str]) -> int:
    value = _optional(env, "MQTT_PORT") or str(DEFAULT_TLS_PORT)
    if WHOLE_NUMBER.fullmatch(value) and 1 <= int(value) <= 65535:
        return int(value)
    raise SettingsError(f"MQTT_PORT={value} is not a port number"
                        ": Serverless offers 8883 (MQTT over TLS) and 8084 (MQTT over WebSocket with TLS)")


def _messages(env: Mapping[str, str]) -> int:
    """MQTT_MESSAGES: how many QoS 1 messages to send and receive back; 1 when not set."""
    value = _optional(env, "MQTT_MESSAGES") or "1"
    if WHOLE_NUMBER.fullmatch(value) and 1 <= int(value) <= 2147483647:
        return int(value)
    raise SettingsError(f"MQTT_MESSAGES={value} is not a positive whole number"
                        ": export MQTT_MESSAGES=<how many QoS 1 messages to send, e.g. 1000>, or unset it to send 1")


def _publish_rate(env: Mapping[str, str]) -> int:
    """MQTT_PUBLISH_RATE: at most this many messages per second (see publish_pace.py); 10 when not set.

    10 is what a Serverless deployment allows one client; 0 turns pacing off, for brokers without that quota.
    """
    value = _optional(env, "MQTT_PUBLISH_RATE") or str(DEFAULT_PUBLISH_RATE)
    if WHOLE_NUMBER.fullmatch(value) and int(value) <= 2147483647:
        return int(value)
    raise SettingsError(f"MQTT_PUBLISH_RATE={value} is not a whole number of messages per second"
                        ": export MQTT_PUBLISH_RATE=10 (what a Serverless deployment allows one client), 0 to"
                        " publish without pacing (a broker without that quota), or unset it for 10")


# MQTT_HOST takes the deployment's domain name alone. The console also shows it inside addresses such as
# mqtts://xxx.emqxsl.com:8883 and wss://xxx.emqxsl.com:8084/mqtt, and those get pasted. This check names what is
# extra and what to set instead, built only from the parts taken out of the value, never the value itself: a
# pasted URL may carry a user name and password (mqtts://user:secret@host).
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://")
_DOMAIN = re.compile(r"[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.?")
_PORT = re.compile(r"[0-9]{1,5}")
# An IPv6 address, bare or in brackets ("2001:db8::1", "[::1]"): no host name has two colons, and Serverless is
# never reached by address, only by its domain name.
_IPV6_ADDRESS = re.compile(r"\[?[0-9A-Fa-f.]*:[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*(%[^\]]*)?\]?")


def domain_only(value: str) -> str:
    """MQTT_HOST as given when it is a name alone; otherwise a SettingsError saying what to set."""
    if any(c.isspace() for c in value):
        raise SettingsError("MQTT_HOST contains a space: it takes the deployment's domain name alone"
                            " (no scheme, port or path), e.g. xxxxxxxx.ala.us-east-1.emqxsl.com; copy it again"
                            " from the console, without spaces")
    if _IPV6_ADDRESS.fullmatch(value):
        raise SettingsError("MQTT_HOST is an IPv6 address: Serverless is reached by the deployment's domain name,"
                            " which the client sends as SNI and checks against the certificate; set MQTT_HOST to"
                            " the address the console shows, e.g. xxxxxxxx.ala.us-east-1.emqxsl.com")
    scheme_match = _SCHEME.match(value)
    scheme = scheme_match.group(1).lower() if scheme_match else None
    rest = value[scheme_match.end():] if scheme_match else value
    path_start = min((i for i in (rest.find(c) for c in "/?#") if i >= 0), default=-1)
    authority = rest if path_start < 0 else rest[:path_start]
    host_and_port = authority[authority.rfind("@") + 1:]  # without user:password@
    colon = _port_colon(host_and_port)
    host = host_and_port if colon < 0 else host_and_port[:colon]
    port = None if colon < 0 else host_and_port[colon + 1:]
    user_info = "@" in authority
    if scheme is None and not user_info and port is None and path_start < 0:
        return value
    raise SettingsError(_describe_paste(scheme, user_info, host, port, path_start >= 0))


def _port_colon(host_and_port: str) -> int:
    """Where "host:port" splits: after a bracketed IPv6 address ("[::1]:8883"), or at the only colon."""
    if host_and_port.startswith("["):
        return host_and_port.find(":", max(host_and_port.find("]"), 0))
    colon = host_and_port.find(":")
    return colon if colon == host_and_port.rfind(":") else -1  # a bare IPv6 address has several (refused before)


def _describe_paste(scheme: Optional[str], user_info: bool, host: str, port: Optional[str], path: bool) -> str:
    numeric_port = port is not None and _PORT.fullmatch(port) is not None
    extra = []
    if scheme is not None:
        extra.append(f"a scheme ({scheme}://)")
    if user_info:
        extra.append("a user name before '@' (credentials go in MQTT_USERNAME and MQTT_PASSWORD)")
    if port is not None:
        extra.append(f"a port ({port})" if numeric_port else "a ':' after the name")
    if path:
        extra.append("a path")
    listed = extra[0] if len(extra) == 1 else ", ".join(extra[:-1]) + " and " + extra[-1]
    target = f"MQTT_HOST={host}" if _DOMAIN.fullmatch(host) else "MQTT_HOST to the address the console shows"
    return ("MQTT_HOST takes the deployment's domain name alone (no scheme, port or path), but it has "
            f"{listed}: set {target}" + _port_advice(scheme, port if numeric_port else None))


def _port_advice(scheme: Optional[str], port: Optional[str]) -> str:
    """MQTT_PORT for the port found, unless that port (or the scheme) is not MQTT over TLS."""
    if port == "8084":
        return ("; the port, MQTT_PORT=8084, is Serverless' MQTT over WebSocket port, and this example speaks"
                " MQTT over TLS: leave MQTT_PORT unset for 8883")
    if port in ("1883", "8083"):
        return (f"; the port, MQTT_PORT={port}, is for plaintext MQTT, which Serverless does not offer:"
                " leave MQTT_PORT unset for 8883 (MQTT over TLS)")
    if port is not None:
        unset_too = " (the default, so MQTT_PORT can also stay unset)" if port == "8883" else ""
        return f" and MQTT_PORT={port}{unset_too}"
    if scheme in ("ws", "wss"):
        return f"; {scheme}:// is MQTT over WebSocket (port 8084), and this example speaks MQTT over TLS, on 8883"
    if scheme in ("tcp", "mqtt"):
        return (f"; {scheme}:// is plaintext MQTT, which Serverless does not offer: this example speaks"
                " MQTT over TLS, on 8883")
    return ""
