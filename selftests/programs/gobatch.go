// SPDX-License-Identifier: GPL-2.0
//
// rmt_gobatch: a linux/386 Go program that receives datagrams the way Go
// programs do, with golang.org/x/net/ipv4's PacketConn.ReadBatch, which on
// 386 reaches recvmmsg through socketcall. It queues three datagrams to
// itself, reads them with one batch of four, and prints what it was told.
package main

import (
	"fmt"
	"net"
	"os"

	"golang.org/x/net/ipv4"
)

func fail(err error) {
	fmt.Fprintln(os.Stderr, "rmt_gobatch:", err)
	os.Exit(1)
}

func main() {
	c, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		fail(err)
	}
	defer c.Close()
	raw, err := c.(*net.UDPConn).SyscallConn()
	if err != nil {
		fail(err)
	}
	var fd uintptr
	if err := raw.Control(func(s uintptr) { fd = s }); err != nil {
		fail(err)
	}
	for i := 0; i < 3; i++ {
		if _, err := c.WriteTo([]byte(fmt.Sprintf("go datagram %d", i)), c.LocalAddr()); err != nil {
			fail(err)
		}
	}
	batch := make([]ipv4.Message, 4)
	for i := range batch {
		batch[i].Buffers = [][]byte{make([]byte, 256)}
	}
	n, err := ipv4.NewPacketConn(c).ReadBatch(batch, 0)
	if err != nil {
		fail(err)
	}
	fmt.Printf("gobatch pid=%d fd=%d vlen=%d ret=%d\n", os.Getpid(), fd, len(batch), n)
	for i := 0; i < n; i++ {
		fmt.Printf("gobatch msg=%d len=%d from=%s\n", i, batch[i].N, batch[i].Addr)
	}
}
