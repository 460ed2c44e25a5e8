#!/bin/sh
# Fetches lwIP's Debian source package into DIR without touching the machine's apt
# configuration: a private sources list with one deb-src entry that repeats the URI and
# suite of the machine's own Debian archive entry, then `apt-get source --download-only`
# (apt checks the files against the signed Sources index).
# SPDX-License-Identifier: MIT
# usage: lwip-fetch.sh DIR     (leaves DIR/lwip_*.orig.tar.*)
set -e
dir=$1
[ -n "$dir" ] || { echo "usage: $0 DIR" >&2; exit 2; }
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

# The first Debian archive entry (not the security archive) of the machine: URI and suite,
# from a deb822 .sources file or a one-line sources.list.
uri= suite=
for f in /etc/apt/sources.list.d/*.sources; do
	[ -f "$f" ] || continue
	set -- $(awk '
		/^[ \t]*$/ { if (t ~ /(^| )deb( |$)/ && u != "" && s != "") { print u, s; exit } t = u = s = ""; next }
		tolower($1) == "types:" { $1 = ""; t = $0 " " }
		tolower($1) == "uris:" { u = $2 }
		tolower($1) == "suites:" { s = $2 }
		END { if (t ~ /(^| )deb( |$)/ && u != "" && s != "") print u, s }' "$f" |
		grep -v -e '-security' -e 'security\.' | head -1)
	[ $# -eq 2 ] && { uri=$1 suite=$2; break; }
done
if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
	set -- $(sed -e 's/#.*//' -e 's/\[[^]]*\]//' /etc/apt/sources.list |
		awk '$1 == "deb" && $2 !~ /security/ { print $2, $3; exit }')
	[ $# -eq 2 ] && { uri=$1 suite=$2; }
fi
[ -n "$uri" ] || { echo "lwip-fetch: no Debian entry in the machine's apt sources" >&2; exit 1; }

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
apt=$dir/apt
mkdir -p "$apt/lists/partial" "$apt/archives/partial"
echo "deb-src [signed-by=$keyring] $uri $suite main" >"$apt/sources.list"
echo "lwip-fetch: deb-src $uri $suite main"
opts="-o Dir::Etc::SourceList=$apt/sources.list -o Dir::Etc::SourceParts=/nonexistent \
	-o Dir::State::Lists=$apt/lists -o Dir::Cache=$apt -o APT::Sandbox::User=root -q"
apt-get $opts update >"$apt/update.log" 2>&1 || { tail -5 "$apt/update.log" >&2; exit 1; }
cd "$dir" && apt-get $opts source --download-only lwip >"$apt/source.log" 2>&1 ||
	{ tail -5 "$apt/source.log" >&2; exit 1; }
ls "$dir"/lwip_*.orig.tar.* >/dev/null
