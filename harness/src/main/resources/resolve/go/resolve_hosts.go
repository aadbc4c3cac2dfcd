// Test support, never part of an example: makes a Go example resolve host names through a hosts file, as the
// harness's Java programs do with -Djdk.net.hosts.file, so that the test deployment's name
// (deployment.emqxsl.test) reaches the local broker without an entry in /etc/hosts. The example itself is
// untouched: it still connects by that name, sends it as SNI and checks the certificate against it.
//
// The file is added to the example's package main for one build only, with go build's -overlay flag (its
// top-level names all start with testHosts, so that they do not clash with the example's):
//
//	overlay.json: {"Replace": {"/abs/path/go-example/resolve_hosts.go": "/abs/path/to/resolve_hosts.go"}}
//	cd go-example && go build -overlay overlay.json -o target/go-example-test .
//	SERVERLESS_HOSTS_FILE=/path/to/hosts target/go-example-test
//
// The file has the hosts(5) format: "127.0.0.1 deployment.emqxsl.test other.emqxsl.test", '#' starts a comment.
// As with the JDK's jdk.net.hosts.file, a name the file does not list does not resolve ("no such host"); an IP
// address is used as it is. How: Go's own resolver (net.DefaultResolver with PreferGo) asks a DNS server through
// the resolver's Dial function, and here Dial returns one end of an in-memory pipe whose other end answers the
// DNS queries from the file. Nothing listens on a port, and no unexported part of package net is reached. Go's
// resolver still reads /etc/hosts first, so a name listed there resolves as it says.

package main

import (
	"bufio"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"strings"
)

func init() {
	file := os.Getenv("SERVERLESS_HOSTS_FILE")
	if file == "" {
		return
	}
	hosts, err := testHostsRead(file)
	if err != nil {
		fmt.Fprintf(os.Stderr, "SERVERLESS_HOSTS_FILE: %v\n", err)
		os.Exit(3)
	}
	net.DefaultResolver.PreferGo = true
	net.DefaultResolver.Dial = func(ctx context.Context, network, address string) (net.Conn, error) {
		resolver, server := net.Pipe() // not a PacketConn: Go's resolver speaks DNS over TCP's framing on it
		go testHostsServe(server, hosts)
		return resolver, nil
	}
}

// testHostsRead maps each lower-case name to its addresses.
func testHostsRead(path string) (map[string][]netip.Addr, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	hosts := map[string][]netip.Addr{}
	lines := bufio.NewScanner(file)
	for lines.Scan() {
		line, _, _ := strings.Cut(lines.Text(), "#")
		fields := strings.Fields(line)
		if len(fields) < 2 {
			continue
		}
		address, err := netip.ParseAddr(fields[0])
		if err != nil {
			continue
		}
		for _, name := range fields[1:] {
			key := strings.ToLower(strings.TrimSuffix(name, "."))
			hosts[key] = append(hosts[key], address.Unmap())
		}
	}
	return hosts, lines.Err()
}

const (
	testHostsTypeA    = 1
	testHostsTypeAAAA = 28
	testHostsClassIN  = 1
)

// testHostsServe answers each query that comes on conn (two bytes of length, then the message) until it closes.
func testHostsServe(conn net.Conn, hosts map[string][]netip.Addr) {
	defer conn.Close()
	for {
		var length [2]byte
		if _, err := io.ReadFull(conn, length[:]); err != nil {
			return
		}
		query := make([]byte, binary.BigEndian.Uint16(length[:]))
		if _, err := io.ReadFull(conn, query); err != nil {
			return
		}
		answer := testHostsAnswer(query, hosts)
		if answer == nil {
			return // not a query this understands: the resolver sees the connection close
		}
		framed := binary.BigEndian.AppendUint16(nil, uint16(len(answer)))
		if _, err := conn.Write(append(framed, answer...)); err != nil {
			return
		}
	}
}

// testHostsAnswer is the response to a query for one name: its A or AAAA records from the hosts file, no record of
// another type, and "no such name" (NXDOMAIN) for a name the file does not list. nil for a malformed query.
func testHostsAnswer(query []byte, hosts map[string][]netip.Addr) []byte {
	if len(query) < 12 || binary.BigEndian.Uint16(query[4:6]) != 1 {
		return nil
	}
	// The question: the name as labels (a length byte, then that many bytes; 0 ends it), its type and class.
	var labels []string
	end := 12
	for {
		if end >= len(query) {
			return nil
		}
		size := int(query[end])
		if size == 0 {
			end++
			break
		}
		if size > 63 || end+1+size > len(query) {
			return nil
		}
		labels = append(labels, string(query[end+1:end+1+size]))
		end += 1 + size
	}
	if end+4 > len(query) {
		return nil
	}
	question := query[12 : end+4]
	qtype := binary.BigEndian.Uint16(query[end : end+2])
	addresses, listed := hosts[strings.ToLower(strings.Join(labels, "."))]

	var records [][]byte
	for _, address := range addresses {
		if (qtype == testHostsTypeA && address.Is4()) || (qtype == testHostsTypeAAAA && address.Is6()) {
			records = append(records, address.AsSlice())
		}
	}
	flags := uint16(0x8000 | 0x0400 | 0x0080)             // a response, authoritative, recursion available
	flags |= binary.BigEndian.Uint16(query[2:4]) & 0x0100 // recursion desired, as asked
	if !listed {
		flags |= 3 // NXDOMAIN
	}
	response := binary.BigEndian.AppendUint16(nil, binary.BigEndian.Uint16(query[0:2])) // the query's id
	response = binary.BigEndian.AppendUint16(response, flags)
	response = binary.BigEndian.AppendUint16(response, 1) // one question
	response = binary.BigEndian.AppendUint16(response, uint16(len(records)))
	response = binary.BigEndian.AppendUint16(response, 0)
	response = binary.BigEndian.AppendUint16(response, 0)
	response = append(response, question...)
	for _, data := range records {
		response = binary.BigEndian.AppendUint16(response, 0xC00C) // the name: a pointer to the question's
		response = binary.BigEndian.AppendUint16(response, qtype)
		response = binary.BigEndian.AppendUint16(response, testHostsClassIN)
		response = binary.BigEndian.AppendUint32(response, 60) // TTL, seconds
		response = binary.BigEndian.AppendUint16(response, uint16(len(data)))
		response = append(response, data...)
	}
	return response
}
