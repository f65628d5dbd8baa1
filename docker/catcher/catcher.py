#!/usr/bin/python3
"""Mail catcher for docker/compose.yaml (docker/catcher/Dockerfile).

    catcher [--listen HOST:PORT] MAILDIR    accept every message and write it into MAILDIR/new/
    catcher --check [--listen HOST:PORT]    exit 0 when the SMTP greeting there starts with 220 (the health check)

Each message is written as it was received: the bytes of DATA with CRLF turned into LF (as Postfix's local delivery
writes a Maildir), after two lines of the envelope, Return-Path and Delivered-To. Nothing else is changed, so a
signature or an encrypted body can be checked with openssl as it arrived. One line per message goes to stdout.
SIGTERM or SIGINT: stop listening, let sessions in progress end (at most 10 s), exit 0.
"""
import argparse
import asyncio
import mailbox
import os
import signal
import socket
import sys

from aiosmtpd.smtp import SMTP

# More than Postfix's message_size_limit in docker/postfix/main.cf (70 MiB), which is more than the gateway's.
DATA_SIZE_LIMIT = 80 * 1024 * 1024


class MaildirHandler:
    def __init__(self, path):
        # Maildir(create=True) makes tmp/, new/ and cur/ only when the directory itself is missing; a volume is not
        for sub in ("tmp", "new", "cur"):
            os.makedirs(os.path.join(path, sub), mode=0o755, exist_ok=True)
        self.maildir = mailbox.Maildir(path, create=False)

    async def handle_DATA(self, server, session, envelope):
        envelope_lines = [b"Return-Path: <" + envelope.mail_from.encode("utf-8", "surrogateescape") + b">"]
        envelope_lines += [b"Delivered-To: " + rcpt.encode("utf-8", "surrogateescape")
                           for rcpt in envelope.rcpt_tos]
        content = envelope.original_content.replace(b"\r\n", b"\n")
        data = b"\n".join(envelope_lines) + b"\n" + content
        # mailbox writes bytes as they are (a temporary file in tmp/, then renamed into new/)
        key = self.maildir.add(data)
        print(f"catcher: from <{envelope.mail_from}> to {', '.join(envelope.rcpt_tos)}, {len(content)} bytes:"
              f" new/{key}", flush=True)
        return "250 2.0.0 Ok: queued as " + key


def host_port(value):
    host, _, port = value.rpartition(":")
    return host or "0.0.0.0", int(port)


async def serve(listen, path):
    loop = asyncio.get_running_loop()
    handler = MaildirHandler(path)
    host, port = listen
    server = await loop.create_server(
        lambda: SMTP(handler, hostname=socket.getfqdn(), data_size_limit=DATA_SIZE_LIMIT, enable_SMTPUTF8=True),
        host=host, port=port)
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    print(f"catcher: listening on {host}:{port}, writing into {path}/new/", flush=True)
    await stop.wait()
    server.close()
    try:
        await asyncio.wait_for(server.wait_closed(), 10)
    except asyncio.TimeoutError:
        pass
    print("catcher: stopped", flush=True)


def check(listen):
    host, port = listen
    if host == "0.0.0.0":
        host = "127.0.0.1"
    try:
        with socket.create_connection((host, port), timeout=5) as connection:
            greeting = connection.makefile("rb").readline()
            connection.sendall(b"QUIT\r\n")
    except OSError as e:
        print(f"catcher: no SMTP server on {host}:{port}: {e}", file=sys.stderr)
        return 1
    if not greeting.startswith(b"220"):
        print(f"catcher: {host}:{port} greets with {greeting!r}", file=sys.stderr)
        return 1
    return 0


def main():
    parser = argparse.ArgumentParser(prog="catcher", description="SMTP to Maildir mail catcher")
    parser.add_argument("--listen", type=host_port, default=("0.0.0.0", 1025), metavar="HOST:PORT")
    parser.add_argument("--check", action="store_true", help="health check: is the SMTP server up?")
    parser.add_argument("maildir", nargs="?", default="/var/mail/catcher")
    args = parser.parse_args()
    if args.check:
        return check(args.listen)
    asyncio.run(serve(args.listen, args.maildir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
