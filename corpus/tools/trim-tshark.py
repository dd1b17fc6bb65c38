#!/usr/bin/env python3
"""Trims `tshark -T json --no-duplicate-keys` output to what the corpus needs: frame number and protocols, IP addresses
and fragment fields, UDP ports, tshark's expert/malformed layers, and the whole ISAKMP layer. Reads stdin, writes stdout."""
import json
import sys

KEEP = {
    "frame": ("frame.number", "frame.len", "frame.protocols"),
    "ip": ("ip.src", "ip.dst", "ip.id", "ip.flags.mf", "ip.frag_offset", "ip.len"),
    "ipv6": ("ipv6.src", "ipv6.dst", "ipv6.plen", "ipv6.nxt"),
    "udp": ("udp.srcport", "udp.dstport", "udp.length"),
}

frames = json.load(sys.stdin)
out = []
for f in frames:
    layers = f["_source"]["layers"]
    kept = {}
    for name, value in layers.items():
        if name in KEEP and isinstance(value, dict):
            kept[name] = {k: value[k] for k in KEEP[name] if k in value}
        elif name in KEEP and isinstance(value, list):  # tunnelled: keep the outer header only
            kept[name] = {k: value[0][k] for k in KEEP[name] if k in value[0]}
        elif name in ("isakmp", "esp", "udpencap", "ipfrag", "ip.fragments", "ipv6.fragments") or name.startswith("_ws"):
            kept[name] = value
    out.append({"_source": {"layers": kept}})
json.dump(out, sys.stdout, indent=1)
sys.stdout.write("\n")
