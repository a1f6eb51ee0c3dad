#!/usr/bin/env python3
"""A TCP forwarder that counts the bytes of every connection through it.

Usage: byte-counter.py LISTEN_PORT TARGET_PORT LOG_FILE
Listens on 127.0.0.1:LISTEN_PORT, forwards each connection to 127.0.0.1:TARGET_PORT and, when a
connection ends, appends one line to LOG_FILE: "<bytes client->server> <bytes server->client>".
Only the loopback address is used. Stops on SIGTERM or SIGINT.
"""
import asyncio
import signal
import sys


async def pipe(reader, writer, counts, index):
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            counts[index] += len(data)
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        try:
            writer.close()
        except Exception:
            pass


async def main():
    listen, target, log = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]

    async def handle(client_reader, client_writer):
        counts = [0, 0]
        try:
            server_reader, server_writer = await asyncio.open_connection("127.0.0.1", target)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(
            pipe(client_reader, server_writer, counts, 0),
            pipe(server_reader, client_writer, counts, 1))
        with open(log, "a") as out:
            out.write(f"{counts[0]} {counts[1]}\n")

    server = await asyncio.start_server(handle, "127.0.0.1", listen)
    stop = asyncio.get_running_loop().create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set_result, None)
    async with server:
        await stop


if __name__ == "__main__":
    asyncio.run(main())
