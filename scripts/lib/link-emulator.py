#!/usr/bin/env python3
"""A TCP forwarder on 127.0.0.1 that behaves like a slow link: scripts/bench's fallback when the
kernel has no netem qdisc (tc qdisc ... netem fails with "Specified qdisc kind is unknown").

It models what `tc qdisc add dev lo root netem delay D rate R` does to a loopback: ONE link shared
by every connection and both directions (lo is a single device), where each chunk of bytes waits
for the link to be free, takes len*8/R seconds to serialise, then arrives D later. A new
connection costs one round trip (2*D) before any byte flows, like TCP's handshake. Not modelled:
TCP slow start and per-packet header bytes, so this link is slightly kinder than netem's.

Usage: link-emulator.py --listen PORT --target PORT --rate-bit N --delay-s S [--ready FILE]
Both ports are on 127.0.0.1; nothing else is ever bound or connected to.
"""
import argparse
import asyncio
import os
import time

HOST = "127.0.0.1"
CHUNK = 4096  # delivery granularity: 1.6 ms of link time at 20 Mbit/s
QUEUED_CHUNKS = 256  # 1 MiB in flight per direction before the sender is made to wait


class Link:
    def __init__(self, rate_bit, delay_s):
        self.rate = rate_bit / 8.0  # bytes per second
        self.delay = delay_s
        self.free_at = 0.0  # when the shared link finishes serialising what it already has

    def schedule(self, nbytes):
        """Reserves the link for nbytes; returns when they arrive at the other end."""
        start = max(time.monotonic(), self.free_at)
        self.free_at = start + nbytes / self.rate
        return self.free_at + self.delay


async def pump(link, reader, writer):
    queue = asyncio.Queue(QUEUED_CHUNKS)

    async def deliver():
        while True:
            due, data = await queue.get()
            wait = due - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            if data is None:
                if writer.can_write_eof():
                    writer.write_eof()
                return
            try:
                writer.write(data)
                await writer.drain()
            except ConnectionError:
                return

    deliverer = asyncio.ensure_future(deliver())
    try:
        while not deliverer.done():
            data = await reader.read(CHUNK)
            if not data:
                await queue.put((time.monotonic() + link.delay, None))
                break
            await queue.put((link.schedule(len(data)), data))
        await deliverer
    except (ConnectionError, asyncio.CancelledError):
        deliverer.cancel()


async def serve(args):
    link = Link(args.rate_bit, args.delay_s)

    async def handle(client_reader, client_writer):
        await asyncio.sleep(2 * link.delay)  # the TCP handshake's round trip
        try:
            server_reader, server_writer = await asyncio.open_connection(HOST, args.target)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(
            pump(link, client_reader, server_writer),
            pump(link, server_reader, client_writer),
            return_exceptions=True,
        )
        for w in (server_writer, client_writer):
            w.close()

    server = await asyncio.start_server(handle, HOST, args.listen, reuse_address=True)
    if args.ready:
        with open(args.ready + ".tmp", "w") as f:
            f.write(str(os.getpid()))
        os.rename(args.ready + ".tmp", args.ready)
    async with server:
        await server.serve_forever()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--listen", type=int, required=True)
    p.add_argument("--target", type=int, required=True)
    p.add_argument("--rate-bit", type=float, required=True)
    p.add_argument("--delay-s", type=float, required=True)
    p.add_argument("--ready", help="file written once listening")
    args = p.parse_args()
    if args.rate_bit <= 0 or args.delay_s < 0:
        p.error("rate must be positive and delay not negative")
    asyncio.run(serve(args))


if __name__ == "__main__":
    main()
