#!/usr/bin/python3
# A --console-socket server for the tests: takes one pty master and prints its output.
# SPDX-License-Identifier: MIT
import array, os, socket, sys

path = sys.argv[1]
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(path)
srv.listen(1)
srv.settimeout(10)
conn, _ = srv.accept()
fds = array.array("i")
msg, anc, _, _ = conn.recvmsg(1, socket.CMSG_LEN(fds.itemsize))
for level, kind, data in anc:
    if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
        fds.frombytes(data[: fds.itemsize])
if not fds:
    print("no descriptor received")
    sys.exit(1)
out = b""
while b"done" not in out:
    try:
        chunk = os.read(fds[0], 4096)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
print(out.decode(errors="replace"))
