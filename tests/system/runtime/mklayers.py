#!/usr/bin/python3
# Builds a three-layer OCI image from the busybox image, to test whiteouts, opaque
# directories, replaced files, hard links and the image config (Entrypoint, User, ...).
# SPDX-License-Identifier: MIT
import gzip, hashlib, io, json, os, shutil, sys, tarfile

src, out = sys.argv[1], sys.argv[2]
shutil.rmtree(out, ignore_errors=True)
shutil.copytree(src, out)
blobs = os.path.join(out, "blobs", "sha256")


def put(data):
    h = hashlib.sha256(data).hexdigest()
    open(os.path.join(blobs, h), "wb").write(data)
    return "sha256:" + h, len(data)


def layer(entries):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        for name, kind, data in entries:
            ti = tarfile.TarInfo(name)
            if kind == "dir":
                ti.type, ti.mode = tarfile.DIRTYPE, 0o755
                t.addfile(ti)
            elif kind == "link":
                ti.type, ti.linkname = tarfile.LNKTYPE, data
                t.addfile(ti)
            elif kind == "sym":
                ti.type, ti.linkname = tarfile.SYMTYPE, data
                t.addfile(ti)
            else:
                ti.size, ti.mode = len(data), 0o644
                t.addfile(ti, io.BytesIO(data))
    return put(gzip.compress(buf.getvalue()))


index = json.load(open(os.path.join(out, "index.json")))
mdesc = index["manifests"][0]
manifest = json.load(open(os.path.join(blobs, mdesc["digest"].split(":")[1])))
l1 = layer([("opq", "dir", None), ("opq/old", "file", b"old\n"), ("etc/motd", "file", b"layer1\n")])
l2 = layer([("etc/.wh.group", "file", b""), ("opq", "dir", None), ("opq/new", "file", b"new\n"),
            ("opq/.wh..wh..opq", "file", b""), ("./etc/motd", "file", b"layer2\n")])
l3 = layer([("etc/motd.hard", "link", "etc/motd"), ("etc/motd.link", "sym", "motd")])
for d, n in (l1, l2, l3):
    manifest["layers"].append({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": d, "size": n})
config = json.load(open(os.path.join(blobs, manifest["config"]["digest"].split(":")[1])))
config["config"].update({"Entrypoint": ["/bin/echo"], "Cmd": ["hi"], "Env": ["FOO=bar"],
                         "WorkingDir": "/opq", "User": "nobody"})
manifest["config"]["digest"], manifest["config"]["size"] = put(json.dumps(config).encode())
mdesc["digest"], mdesc["size"] = put(json.dumps(manifest).encode())
json.dump(index, open(os.path.join(out, "index.json"), "w"))
print(out)
