#!/usr/bin/env python3
"""A small HTTP(S) server on loopback for the check-url tests.

Writes the port it listens on to PORT_FILE, then serves until killed:
  /ok        200 "hello world"       /missing   404
  /secret    401                     /redirect  302 to /ok
  /hang      never answers           /to-ftp    302 to an ftp:// URL
Usage: http_server.py PORT_FILE ADDRESS [CERT KEY [CLIENT_CA]]
With CERT and KEY it speaks TLS; with CLIENT_CA it requires a client
certificate signed by that CA.
"""
import http.server
import socket
import ssl
import sys
import threading
import time


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/hang":
            time.sleep(60)
            return
        routes = {
            "/ok": (200, b"hello world\n"),
            "/secret": (401, b"who are you?\n"),
            "/redirect": (302, b""),
            "/to-ftp": (302, b""),
        }
        status, body = routes.get(self.path, (404, b"no such page\n"))
        self.send_response(status)
        if status == 302:
            self.send_header("Location", "ftp://127.0.0.1/file"
                             if self.path == "/to-ftp" else "/ok")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    # Checks run side by side connect at once: a backlog of 5 (the
    # default) drops their SYNs, retried a second later.
    request_queue_size = 1024

    def __init__(self, address):
        self.address_family = socket.AF_INET6 if ":" in address else socket.AF_INET
        super().__init__((address, 0), Handler)


def main():
    port_file, address = sys.argv[1], sys.argv[2]
    server = Server(address)
    if len(sys.argv) > 3:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[3], sys.argv[4])
        if len(sys.argv) > 5:
            context.verify_mode = ssl.CERT_REQUIRED
            context.load_verify_locations(sys.argv[5])
        server.socket = context.wrap_socket(server.socket, server_side=True)
    with open(port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    # Renamed whole, so the test never reads half a number.
    import os
    os.rename(port_file + ".tmp", port_file)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    threading.Event().wait()


if __name__ == "__main__":
    main()
