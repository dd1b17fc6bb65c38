#!/usr/bin/env bash
# Installs what the capture scripts need on a Debian 12 machine (root). Not needed by the tests.
#  - strongSwan 5.9.8 from Debian, plus the pki tool for throwaway certificates;
#  - libreswan 4.10, which conflicts with strongSwan's packages: downloaded and unpacked into /opt/oak-libreswan with
#    dpkg -x, and only its dependencies installed;
#  - tcpdump, dumpcap/tshark, nftables, ping.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q strongswan-charon strongswan-swanctl libcharon-extra-plugins libstrongswan-extra-plugins \
  strongswan-pki tshark tcpdump nftables iputils-ping iproute2 openssl python3 \
  dns-root-data iptables libnss3-tools libaudit1 libcap-ng0 libcurl3-nss libevent-core-2.1-7 libevent-pthreads-2.1-7 \
  libldap-2.5-0 libldns3 libnspr4 libnss3 libunbound8
# Do not let the packaged services run charon outside our namespaces.
systemctl disable --now strongswan-starter strongswan 2>/dev/null || true
tmp=$(mktemp -d)
(cd "$tmp" && apt-get download libreswan)
rm -rf /opt/oak-libreswan
mkdir -p /opt/oak-libreswan
dpkg -x "$tmp"/libreswan_*.deb /opt/oak-libreswan
dpkg-deb -f "$tmp"/libreswan_*.deb Version > /opt/oak-libreswan/DEBIAN-VERSION
rm -rf "$tmp"
echo "libreswan $(cat /opt/oak-libreswan/DEBIAN-VERSION) unpacked in /opt/oak-libreswan"
