#!/usr/bin/env python3
"""Writes tools/scenarios/<name>/{a,b}/swanctl.conf for a charon <-> charon scenario (a initiates to b).
Used once per scenario; the generated files are committed and may then be edited by hand.

usage: new-charon-scenario.py NAME [--ike P] [--ike-b P] [--esp P] [--esp-b P] [--aggressive] [--psk-b S] [--encap]
                              [--dpd S] [--certs] [--fragmentation yes|no|force] [--xauth]"""
import argparse
import os

ap = argparse.ArgumentParser()
ap.add_argument("name")
ap.add_argument("--ike", default="aes128-sha1-modp2048")
ap.add_argument("--ike-b")
ap.add_argument("--esp", default="aes128-sha1")
ap.add_argument("--esp-b")
ap.add_argument("--aggressive", action="store_true")
ap.add_argument("--psk", default="oaklog-corpus-psk")
ap.add_argument("--psk-b")
ap.add_argument("--encap", action="store_true")
ap.add_argument("--dpd")
ap.add_argument("--certs", action="store_true")
ap.add_argument("--fragmentation")
ap.add_argument("--xauth", action="store_true")
a = ap.parse_args()

SIDES = {"a": ("192.0.2.1", "a.oak.test", "10.1.0.1/32"), "b": ("192.0.2.2", "b.oak.test", "10.2.0.1/32")}


def conf(side):
    other = "b" if side == "a" else "a"
    addr, ident, ts = SIDES[side]
    oaddr, oident, ots = SIDES[other]
    ike = a.ike_b if side == "b" and a.ike_b else a.ike
    esp = a.esp_b if side == "b" and a.esp_b else a.esp
    psk = a.psk_b if side == "b" and a.psk_b else a.psk
    auth = "pubkey" if a.certs else "psk"
    lines = ["connections {", "  oak {", "    version = 1", f"    aggressive = {'yes' if a.aggressive else 'no'}",
             f"    local_addrs = {addr}", f"    remote_addrs = {oaddr}", f"    proposals = {ike}"]
    if a.encap:
        lines.append("    encap = yes")
    if a.dpd:
        lines += [f"    dpd_delay = {a.dpd}", "    dpd_timeout = 30s"]
    if a.fragmentation:
        lines.append(f"    fragmentation = {a.fragmentation}")
    if a.certs:
        lines.append("    send_cert = always")
        lines.append("    send_certreq = yes")
    if a.xauth and side == "a":
        lines.append("    vips = 0.0.0.0")
    if a.xauth and side == "b":
        lines.append("    pools = oak-pool")
    cert = f"\n            certs = {side}.pem" if a.certs else ""
    lines += [f"    local {{ auth = {auth}", f"            id = {'CN=' + ident if a.certs else ident}{cert} }}"]
    lines += [f"    remote {{ auth = {auth}", f"             id = {'CN=' + oident if a.certs else oident} }}"]
    # Authentication rounds run in the order they are defined: the PSK round first, then XAUTH.
    if a.xauth:
        if side == "a":
            lines += ["    local-xauth { auth = xauth", "                  xauth_id = oakuser }"]
        else:
            lines += ["    remote-xauth { auth = xauth }"]
    # With XAUTH/mode config the client's side of the tunnel is its virtual IP ("dynamic" on both ends).
    local_ts = "dynamic" if a.xauth and side == "a" else ts
    remote_ts = "dynamic" if a.xauth and side == "b" else ots
    lines += ["    children {", f"      net {{ local_ts = {local_ts}", f"            remote_ts = {remote_ts}",
              f"            esp_proposals = {esp} }}", "    }", "  }", "}"]
    if a.xauth and side == "b":
        lines += ["pools {", "  oak-pool { addrs = 10.9.0.0/24", "             dns = 10.9.0.53 }", "}"]
    lines += ["secrets {"]
    if not a.certs:
        lines += ["  ike-oak { id-a = a.oak.test", "            id-b = b.oak.test", f"            secret = \"{psk}\" }}"]
    else:
        lines += [f"  rsa-{side} {{ file = {side}.key.pem }}"]
    if a.xauth:
        lines += ["  xauth-oak { id = oakuser", "              secret = \"oaklog-xauth-password\" }"]
    lines += ["}"]
    return "\n".join(lines) + "\n"


d = os.path.join(os.path.dirname(os.path.abspath(__file__)), "scenarios", a.name)
for side in ("a", "b"):
    os.makedirs(os.path.join(d, side), exist_ok=True)
    with open(os.path.join(d, side, "swanctl.conf"), "w") as f:
        f.write(conf(side))
print(d)
