#!/usr/bin/python3
# A --console-socket server that drives the container's terminal like a person: takes the
# pty master, types INPUT into it and prints what comes back until EXPECT (or a timeout).
# usage: console_drive.py SOCKET INPUT EXPECT [SECONDS]   (exit 0 when EXPECT was seen)
# SPDX-License-Identifier: MIT
import array, os, select, socket, sys, time

path, typed, expect = sys.argv[1], sys.argv[2].encode(), sys.argv[3].encode()
limit = float(sys.argv[4]) if len(sys.argv) > 4 else 20
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
# the socket appears under its name only once it listens: a runtime that connects as
# soon as it sees the file must not be refused
srv.bind(path + ".tmp")
srv.listen(1)
os.rename(path + ".tmp", path)
srv.settimeout(limit)
conn, _ = srv.accept()
fds = array.array("i")
_, anc, _, _ = conn.recvmsg(1, socket.CMSG_LEN(fds.itemsize))
for level, kind, data in anc:
    if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
        fds.frombytes(data[: fds.itemsize])
if not fds:
    print("no descriptor received")
    sys.exit(2)
master = fds[0]
os.write(master, typed)
out, deadline = b"", time.time() + limit
while expect not in out and time.time() < deadline:
    r, _, _ = select.select([master], [], [], 0.2)
    if not r:
        continue
    try:
        chunk = os.read(master, 4096)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
print(out.decode(errors="replace"))
sys.exit(0 if expect in out else 1)
