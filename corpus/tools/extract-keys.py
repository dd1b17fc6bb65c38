#!/usr/bin/env python3
"""Extracts IKEv1 keys from charon logs written with `ike = 4` and writes a case's keys.json and ikev1_decryption_table.

charon logs, per IKE SA (tagged `<name|unique-id>` with `ike_name = yes`), hex dumps such as

    10[IKE] <oak|1> encryption key Ka => 24 bytes @ 0x7fca88001b70
    10[IKE] <oak|1>    0: AF 2C 5D 6C 7D A1 5A 52 DD D8 28 F1 F5 CA 2D 4C  .,]l}.ZR..(...-L

plus `natd_chunk`, the NAT-D hash input CKY-I | CKY-R | IP | port (RFC 3947 3.2), which pairs the keys with the cookies
(or, failing that, the HASH_I / HASH_R input, which also holds both cookies).
Only IKE SAs whose initiator cookie appears in the capture are written, in the order they appear there.

usage: extract-keys.py --capture capture.pcap --out case-dir [--psk S] [--psk-responder S] a=/path/charon.log b=/path/charon.log
"""
import argparse
import json
import re
import subprocess
import sys

LINE = re.compile(r"^\S+ (\d+)\[(\w+)\] (?:<([^>]*)> )?(.*)$")
DUMP_HEAD = re.compile(r"^(.+?) => (\d+) bytes @ 0x[0-9a-f]+$")
DUMP_ROW = re.compile(r"^\s*\d+: ((?:[0-9A-F]{2} ?)+)")
PROPOSAL = re.compile(r"selected proposal: IKE:(\S+)")
WANTED = {
    "SKEYID": "skeyid",
    "SKEYID_d": "skeyidD",
    "SKEYID_a": "skeyidA",
    "SKEYID_e": "skeyidE",
    "encryption key Ka": "encryptionKey",
    "initial IV": "initialIv",
    "shared Diffie Hellman secret": "sharedSecret",
    "natd_chunk": "natdChunk",
    "HASH_I data": "hashIData",
    "HASH_R data": "hashRData",
}


def parse_log(path):
    """Returns {ike tag: {field: hex, 'proposal': str}} for one charon log."""
    sas = {}
    pending = {}  # thread -> [tag, field, size, bytes]
    with open(path, encoding="utf-8", errors="replace") as f:
        for raw in f:
            m = LINE.match(raw.rstrip("\n"))
            if not m:
                continue
            thread, _group, tag, msg = m.groups()
            if tag is not None:
                tag = tag.split("|")[-1]  # "<oak|1>" and "<1>" (before the config is known) are the same IKE SA
            cur = pending.get(thread)
            if cur is not None:
                row = DUMP_ROW.match(msg)
                if row and cur[0] == tag:
                    cur[3].extend(bytes.fromhex(row.group(1).replace(" ", "")))
                    if len(cur[3]) >= cur[2]:
                        store(sas, cur)
                        del pending[thread]
                    continue
                store(sas, cur)
                del pending[thread]
            if tag is None:
                continue
            head = DUMP_HEAD.match(msg)
            if head and head.group(1) in WANTED:
                pending[thread] = [tag, WANTED[head.group(1)], int(head.group(2)), bytearray()]
                continue
            prop = PROPOSAL.search(msg)
            if prop:
                sas.setdefault(tag, {}).setdefault("proposal", prop.group(1))
    for cur in pending.values():
        store(sas, cur)
    return sas


def store(sas, cur):
    tag, field, size, data = cur
    if len(data) != size:
        return
    sa = sas.setdefault(tag, {})
    # Keep the first value of each field: a later natd_chunk of the same SA names the same cookies.
    sa.setdefault(field, data.hex())


ENC = {"3DES_CBC": "3des-cbc", "DES_CBC": "des-cbc", "BLOWFISH_CBC": "blowfish-cbc", "CAST_CBC": "cast-cbc"}
HASH = {"PRF_HMAC_SHA1": "sha1", "PRF_HMAC_MD5": "md5", "PRF_HMAC_SHA2_256": "sha2-256",
        "PRF_HMAC_SHA2_384": "sha2-384", "PRF_HMAC_SHA2_512": "sha2-512"}


def algorithms(proposal):
    parts = proposal.split("/")
    enc = parts[0]
    m = re.match(r"AES_CBC_(\d+)", enc)
    encryption = f"aes-cbc-{m.group(1)}" if m else ENC.get(enc, enc.lower())
    prf = next((p for p in parts if p.startswith("PRF_")), "")
    group = next((p for p in parts if p.startswith(("MODP_", "ECP_", "CURVE_"))), "")
    return encryption, HASH.get(prf, prf.lower()), group.lower().replace("_", "")


def cookies_of(sa):
    """CKY-I and CKY-R of one logged IKE SA: from natd_chunk (CKY-I | CKY-R | IP | port), or, when NAT-D was never
    processed (e.g. phase 1 failed first), from the HASH_I / HASH_R input g^xi | g^xr | CKY-I | CKY-R | ... (RFC 2409
    section 5; HASH_R swaps both pairs), whose KE values are as long as the MODP shared secret."""
    if "natdChunk" in sa:
        return sa["natdChunk"][:16], sa["natdChunk"][16:32]
    if "sharedSecret" not in sa:
        return None
    ke = len(sa["sharedSecret"])  # hex digits of one KE value
    if "hashIData" in sa:
        c = sa["hashIData"][2 * ke:2 * ke + 32]
        return c[:16], c[16:]
    if "hashRData" in sa:
        c = sa["hashRData"][2 * ke:2 * ke + 32]
        return c[16:], c[:16]
    return None


def cookies_in_capture(capture):
    out = subprocess.run(["tshark", "-r", capture, "-T", "fields", "-e", "isakmp.ispi", "-e", "isakmp.rspi"],
                         capture_output=True, text=True, check=True).stdout
    order, rcookie = [], {}
    for line in out.splitlines():
        cols = line.split("\t")
        for i, ispi in enumerate(cols[0].split(",") if cols[0] else []):
            if ispi not in order:
                order.append(ispi)
            r = cols[1].split(",")[i] if len(cols) > 1 and cols[1] else ""
            if r and r != "0" * 16:
                rcookie.setdefault(ispi, r)
    return order, rcookie


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--capture", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--psk", help="the initiator's pre-shared key")
    ap.add_argument("--psk-responder", help="the responder's pre-shared key, when it differs")
    ap.add_argument("logs", nargs="+", help="side=path (a is the initiator's side)")
    args = ap.parse_args()

    per_cookie = {}
    for spec in args.logs:
        side, path = spec.split("=", 1)
        for tag, sa in parse_log(path).items():
            cookies = cookies_of(sa)
            if "encryptionKey" not in sa or cookies is None:
                continue
            icookie, rcookie = cookies
            entry = per_cookie.setdefault(icookie, {"rcookie": rcookie, "sides": {}})
            entry["sides"][side] = dict(sa, tag=tag)

    order, _ = cookies_in_capture(args.capture)
    ike_sas = []
    for icookie in order:
        entry = per_cookie.get(icookie)
        if entry is None:
            continue
        sides = entry["sides"]
        # Side a ran the initiator in every scenario, so its log speaks for the initiator of the SA.
        init, resp = sides.get("a"), sides.get("b")
        ref = init or resp
        encryption, hash_, group = algorithms(ref.get("proposal", ""))
        sa = {
            "initiatorCookie": icookie,
            "responderCookie": entry["rcookie"],
            "encryption": encryption,
            "hash": hash_,
            "group": group,
            "encryptionKey": {k: v["encryptionKey"] for k, v in (("initiator", init), ("responder", resp)) if v},
        }
        for field in ("skeyid", "skeyidD", "skeyidA", "skeyidE", "initialIv", "sharedSecret"):
            if field in ref:
                sa[field] = ref[field]
        for k, v in (("initiator", init), ("responder", resp)):
            if v and ref is not v:
                for field in ("skeyidE", "initialIv"):
                    if field in v and v[field] != ref.get(field):
                        sa.setdefault("responderDiffers", {})[f"{k}.{field}"] = v[field]
        if args.psk:
            sa["psk"] = args.psk
        if args.psk_responder:
            sa["pskResponder"] = args.psk_responder
        sa["loggedBy"] = [f"{k} ({v['tag']})" for k, v in sorted(sides.items())]
        ike_sas.append(sa)

    if not ike_sas:
        print("extract-keys: no IKE SA with keys found in the capture", file=sys.stderr)
        return 1
    keys = {
        "source": "charon (strongSwan) filelog with ike = 4: SKEYID*, 'encryption key Ka', 'initial IV', "
                  "'shared Diffie Hellman secret'; cookies from 'natd_chunk' (CKY-I | CKY-R | IP | port). "
                  "Extracted by corpus/tools/extract-keys.py.",
        "ikeSas": ike_sas,
    }
    with open(f"{args.out}/keys.json", "w") as f:
        json.dump(keys, f, indent=2)
        f.write("\n")
    with open(f"{args.out}/ikev1_decryption_table", "w") as f:
        for sa in ike_sas:
            ka = sa["encryptionKey"].get("initiator") or sa["encryptionKey"].get("responder")
            f.write(f"{sa['initiatorCookie']},{ka}\n")
    print(f"extract-keys: {len(ike_sas)} IKE SA(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
