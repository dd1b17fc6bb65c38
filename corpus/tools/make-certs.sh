#!/usr/bin/env bash
# Makes a throwaway CA and one RSA-4096 certificate per side (CN=a.oak.test, CN=b.oak.test) in <dir>, with strongSwan's
# pki tool: PEM for charon, PKCS#12 for libreswan's NSS database. Large keys on purpose: main mode's CERT + SIG message
# then exceeds 1500 bytes, so it needs IKE fragmentation or IP fragmentation. The private keys never leave /tmp.
set -euo pipefail
D=${1:?usage: make-certs.sh <dir>}
mkdir -p "$D"
cd "$D"
pki --gen --type rsa --size 4096 --outform pem > ca.key.pem
pki --self --ca --lifetime 3650 --in ca.key.pem --type rsa --dn "C=ZZ, O=oaklog corpus, CN=oaklog corpus CA" --outform pem > ca.pem
for s in a b; do
  pki --gen --type rsa --size 4096 --outform pem > "$s.key.pem"
  pki --pub --in "$s.key.pem" --type rsa | pki --issue --lifetime 3650 --cacert ca.pem --cakey ca.key.pem \
    --dn "CN=$s.oak.test" --san "$s.oak.test" --flag serverAuth --flag clientAuth --outform pem > "$s.pem"
  openssl pkcs12 -export -inkey "$s.key.pem" -in "$s.pem" -certfile ca.pem -name "$s" -passout pass: -out "$s.p12"
done
