package dev.chorus.netty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.core.auth.ChannelPermissions;
import dev.chorus.core.auth.ConnectClaims;
import dev.chorus.core.auth.SubscriptionClaims;
import dev.chorus.core.auth.TokenException;
import dev.chorus.core.auth.TokenVerifier;
import dev.chorus.core.config.ChorusConfig;
import dev.chorus.core.config.NamespaceConfig;
import dev.chorus.protocol.ErrorCode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who may read and write a document through the Yjs endpoints: the doc:<name> channel's rules. */
class DocumentAccessTest {
    /** Tokens named after what they grant: "rw", "ro", "none", "open" (no channels claim); anything else is invalid. */
    private static final TokenVerifier VERIFIER = new TokenVerifier() {
        @Override
        public ConnectClaims verifyConnect(String token) throws TokenException {
            ChannelPermissions p = switch (token) {
                case "rw" -> ChannelPermissions.of(List.of("doc:*"), List.of("doc:*"), null);
                case "ro" -> ChannelPermissions.of(List.of("doc:*"), List.of(), null);
                case "none" -> ChannelPermissions.of(List.of("chat:*"), List.of(), null);
                case "open" -> null;
                case "old" -> throw new TokenException(TokenException.Reason.EXPIRED, "expired");
                default -> throw new TokenException(TokenException.Reason.BAD_SIGNATURE, "bad signature");
            };
            return new ConnectClaims("u-" + token, null, p, null);
        }

        @Override
        public SubscriptionClaims verifySubscription(String token, String channel, String user) throws TokenException {
            throw new TokenException(TokenException.Reason.MALFORMED, "not used");
        }
    };

    private static ChorusConfig.Builder base() {
        return ChorusConfig.builder().host("127.0.0.1").port(0);
    }

    @Test
    void tokenPermissionsDecideReadAndWrite() {
        DocumentAccess a = new DocumentAccess(base().build(), VERIFIER);
        assertThat(a.decide("rw", "notes")).satisfies(d -> {
            assertThat(d.granted()).isTrue();
            assertThat(d.write()).isTrue();
            assertThat(d.user()).isEqualTo("u-rw");
        });
        assertThat(a.decide("ro", "notes").write()).isFalse();
        assertThat(a.decide("ro", "notes").granted()).isTrue();
        assertThat(a.decide("none", "notes").code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
        assertThat(a.decide("bad", "notes").code()).isEqualTo(ErrorCode.UNAUTHORIZED);
        assertThat(a.decide("old", "notes").code()).isEqualTo(ErrorCode.TOKEN_EXPIRED);
        assertThat(a.decide("rw", "").code()).isEqualTo(ErrorCode.BAD_REQUEST);
    }

    @Test
    void withoutAListTheNamespaceFlagsDecide() {
        ChorusConfig cfg = base().namespace(NamespaceConfig.builder("doc").allowPublish(false).build()).build();
        DocumentAccess a = new DocumentAccess(cfg, VERIFIER);
        assertThat(a.decide("open", "n").granted()).isTrue();
        assertThat(a.decide("open", "n").write()).isFalse();
        DocumentAccess writable = new DocumentAccess(base().namespace(NamespaceConfig.builder("doc").allowPublish(true).build()).build(), VERIFIER);
        assertThat(writable.decide("open", "n").write()).isTrue();
        // undeclared namespace, refused outside dev mode
        assertThat(new DocumentAccess(base().build(), VERIFIER).decide("open", "n").code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
    }

    @Test
    void anonymousClientsNeedAllowAnonymousAndTokensNeedAVerifier() {
        assertThat(new DocumentAccess(base().build(), VERIFIER).decide(null, "n").code()).isEqualTo(ErrorCode.UNAUTHORIZED);
        assertThat(new DocumentAccess(base().build(), null).decide("rw", "n").code()).isEqualTo(ErrorCode.UNAUTHORIZED);
        DocumentAccess dev = new DocumentAccess(base().dev(true).build(), null);
        assertThat(dev.decide("", "n").granted()).isTrue();
        assertThat(dev.decide(null, "n").write()).isTrue();
    }

    @Test
    void aPrivateDocNamespaceRefusesDocuments() {
        ChorusConfig cfg = base().dev(true).namespace(NamespaceConfig.builder("doc").privateChannels(true).build()).build();
        assertThat(new DocumentAccess(cfg, VERIFIER).decide("rw", "n").code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
    }
}
