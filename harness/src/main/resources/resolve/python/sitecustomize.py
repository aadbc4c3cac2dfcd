"""Test support, never part of an example: host names from a hosts file, for a Python example under the harness.

Python imports a module named sitecustomize at start-up when it is on the path, so

    SERVERLESS_HOSTS_FILE=/path/to/hosts PYTHONPATH=/abs/path/to/resolve/python .venv/bin/python example.py

makes the example resolve names through that file, as the harness's Java programs do with
-Djdk.net.hosts.file: the test deployment's name (deployment.emqxsl.test) reaches the local broker without an
entry in /etc/hosts. The example itself is untouched: it still connects by that name, sends it as SNI and checks
the certificate against it.

The file has the hosts(5) format: "127.0.0.1 deployment.emqxsl.test other.emqxsl.test", '#' starts a comment.
As with the JDK's jdk.net.hosts.file, a name the file does not list does not resolve (socket.gaierror,
EAI_NONAME); an IP address is used as it is. Only socket.getaddrinfo is replaced: socket.create_connection, which
paho-mqtt connects with, uses it. (This shadows any other sitecustomize module; a test run needs none.)
"""

import ipaddress
import os
import socket


def _read(path):
    addresses = {}  # lower-case name -> [address, ...]
    with open(path, encoding="utf-8") as hosts:
        for line in hosts:
            fields = line.split("#", 1)[0].split()
            if len(fields) < 2:
                continue
            try:
                ipaddress.ip_address(fields[0])
            except ValueError:
                continue
            for name in fields[1:]:
                addresses.setdefault(name.lower(), []).append(fields[0])
    return addresses


def _install(addresses):
    system_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
        name = host.decode("ascii") if isinstance(host, bytes) else host
        try:
            ipaddress.ip_address(name)
            return system_getaddrinfo(host, port, family, type, proto, flags)  # an address needs no name lookup
        except (ValueError, TypeError):
            pass
        results = []
        for address in addresses.get(str(name).lower(), []):
            ip = ipaddress.ip_address(address)
            address_family = socket.AF_INET6 if ip.version == 6 else socket.AF_INET
            if family not in (0, socket.AF_UNSPEC, address_family):
                continue
            sockaddr = (address, int(port or 0)) if ip.version == 4 else (address, int(port or 0), 0, 0)
            for socket_type in ([type] if type else [socket.SOCK_STREAM, socket.SOCK_DGRAM]):
                protocol = proto or (socket.IPPROTO_TCP if socket_type == socket.SOCK_STREAM else socket.IPPROTO_UDP)
                results.append((address_family, socket_type, protocol, "", sockaddr))
        if not results:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return results

    socket.getaddrinfo = getaddrinfo


if os.environ.get("SERVERLESS_HOSTS_FILE"):
    _install(_read(os.environ["SERVERLESS_HOSTS_FILE"]))
