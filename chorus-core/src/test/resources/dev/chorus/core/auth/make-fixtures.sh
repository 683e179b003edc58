#!/bin/sh
# Writes the certificate fixture used by PemKeysTest: a P-256 key (PKCS#8, test only) and a
# self-signed certificate for it. Run from this directory.
set -e
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec-p256-key.pem
openssl req -new -x509 -key ec-p256-key.pem -subj "/CN=chorus-test" -days 36500 -out ec-p256-cert.pem
