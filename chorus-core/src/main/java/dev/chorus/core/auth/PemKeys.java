package dev.chorus.core.auth;

import com.nimbusds.jose.jwk.Curve;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads public keys from PEM text with the JDK alone: {@code PUBLIC KEY} (X.509
 * SubjectPublicKeyInfo, what {@code openssl pkey -pubout} writes), {@code RSA PUBLIC KEY} (PKCS#1)
 * and {@code CERTIFICATE} (the certificate's key). Every failure is an
 * {@link IllegalArgumentException} whose message says what was wrong, never the key material.
 */
final class PemKeys {
    static final int MIN_RSA_BITS = 2048;

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");
    /** DER of AlgorithmIdentifier { rsaEncryption, NULL }. */
    private static final byte[] RSA_ALGORITHM_ID = {
        0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00
    };

    private PemKeys() {
    }

    static RSAPublicKey rsa(String what, String pem) {
        PublicKey key = read(what, pem, "RSA");
        if (!(key instanceof RSAPublicKey rsa)) {
            throw new IllegalArgumentException(what + ": not an RSA public key (" + key.getAlgorithm() + ")");
        }
        checkRsaSize(what, rsa);
        return rsa;
    }

    static ECPublicKey ecP256(String what, String pem) {
        PublicKey key = read(what, pem, "EC");
        if (!(key instanceof ECPublicKey ec)) {
            throw new IllegalArgumentException(what + ": not an EC public key (" + key.getAlgorithm() + ")");
        }
        if (!Curve.P_256.equals(Curve.forECParameterSpec(ec.getParams()))) {
            throw new IllegalArgumentException(what + ": the EC key must be on curve P-256 (for ES256)");
        }
        return ec;
    }

    static void checkRsaSize(String what, RSAPublicKey rsa) {
        int bits = rsa.getModulus().bitLength();
        if (bits < MIN_RSA_BITS) {
            throw new IllegalArgumentException(
                    what + ": the RSA key has " + bits + " bits; at least " + MIN_RSA_BITS + " are required");
        }
    }

    private static PublicKey read(String what, String pem, String keyAlgorithm) {
        if (pem == null || pem.isBlank()) {
            throw new IllegalArgumentException(what + ": empty");
        }
        Matcher m = BLOCK.matcher(pem);
        if (!m.find()) {
            throw new IllegalArgumentException(
                    what + ": not PEM (expected -----BEGIN PUBLIC KEY----- ... -----END PUBLIC KEY-----)");
        }
        String type = m.group(1);
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(m.group(2));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": the PEM body is not valid base64");
        }
        if (type.contains("PRIVATE")) {
            throw new IllegalArgumentException(what + ": this is a private key; configure the public key only"
                    + " (openssl pkey -in key.pem -pubout)");
        }
        if (type.equals("RSA PUBLIC KEY") && !keyAlgorithm.equals("RSA")) {
            throw new IllegalArgumentException(what + ": an RSA key was given where an EC key is expected");
        }
        try {
            switch (type) {
                case "PUBLIC KEY":
                    return KeyFactory.getInstance(keyAlgorithm).generatePublic(new X509EncodedKeySpec(der));
                case "RSA PUBLIC KEY":
                    return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(wrapPkcs1(der)));
                case "CERTIFICATE":
                    return CertificateFactory.getInstance("X.509")
                            .generateCertificate(new ByteArrayInputStream(der)).getPublicKey();
                default:
                    break;
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException(what + ": cannot read the " + keyAlgorithm + " public key ("
                    + e.getClass().getSimpleName() + ")", e);
        }
        throw new IllegalArgumentException(what + ": unsupported PEM block '" + type
                + "' (expected PUBLIC KEY, RSA PUBLIC KEY or CERTIFICATE)");
    }

    /** PKCS#1 RSAPublicKey to SubjectPublicKeyInfo, which the JDK reads. */
    private static byte[] wrapPkcs1(byte[] pkcs1) {
        ByteArrayOutputStream bitString = new ByteArrayOutputStream();
        bitString.write(0x03);
        writeLength(bitString, pkcs1.length + 1);
        bitString.write(0x00);
        bitString.writeBytes(pkcs1);
        byte[] bits = bitString.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        writeLength(out, RSA_ALGORITHM_ID.length + bits.length);
        out.writeBytes(RSA_ALGORITHM_ID);
        out.writeBytes(bits);
        return out.toByteArray();
    }

    private static void writeLength(ByteArrayOutputStream out, int len) {
        if (len < 0x80) {
            out.write(len);
        } else if (len < 0x100) {
            out.write(0x81);
            out.write(len);
        } else if (len < 0x10000) {
            out.write(0x82);
            out.write(len >> 8);
            out.write(len & 0xff);
        } else {
            out.write(0x83);
            out.write(len >> 16);
            out.write((len >> 8) & 0xff);
            out.write(len & 0xff);
        }
    }
}
