package dev.chorus.netty.internal;

import dev.chorus.core.auth.ChannelPermissions;
import dev.chorus.core.auth.ConnectClaims;
import dev.chorus.core.auth.TokenException;
import dev.chorus.core.auth.TokenVerifier;
import dev.chorus.core.config.ChorusConfig;
import dev.chorus.core.config.NamespaceConfig;
import dev.chorus.core.documents.DocumentHub;
import dev.chorus.protocol.ErrorCode;

/**
 * Decides what a y-websocket or Hocuspocus client may do with a document. A document is bound to
 * the channel {@code doc:<name>} ({@link DocumentHub#channelFor}), and access follows that channel's
 * rules: reading needs subscribe permission, writing needs publish permission, each decided by the
 * token's {@code channels} claim when it has a list for that action, else by the {@code doc}
 * namespace's {@code allow_subscribe} / {@code allow_publish} (an undeclared namespace, where
 * those are allowed, has the default namespace's flags). Without a token a client is anonymous,
 * allowed only with {@code allow_anonymous} (or {@code --dev}). A private {@code doc} namespace
 * refuses documents (as for chorus/1). Connect hooks are not consulted:
 * the token is checked by the node's {@link TokenVerifier} alone. Thread-safe and non-blocking.
 */
final class DocumentAccess {

    /** The outcome: a grant ({@code code == null}) or a refusal with an engine error code. */
    record Decision(boolean write, String user, ErrorCode code, String message) {
        boolean granted() {
            return code == null;
        }

        static Decision refuse(ErrorCode code, String message) {
            return new Decision(false, null, code, message);
        }
    }

    private final ChorusConfig config;
    private final TokenVerifier verifier;

    DocumentAccess(ChorusConfig config, TokenVerifier verifier) {
        this.config = config;
        this.verifier = verifier;
    }

    /** What the holder of {@code token} ({@code null} or empty: anonymous) may do with {@code document}. */
    Decision decide(String token, String document) {
        String problem = DocumentHub.nameProblem(document);
        if (problem != null) {
            return Decision.refuse(ErrorCode.BAD_REQUEST, problem);
        }
        String user;
        ChannelPermissions permissions = null;
        if (token != null && !token.isEmpty() && verifier == null && config.allowAnonymous()) {
            // anonymous access, as for chorus/1: a token no verifier could check grants nothing
            user = "";
        } else if (token != null && !token.isEmpty()) {
            if (verifier == null) {
                return Decision.refuse(ErrorCode.UNAUTHORIZED, "a token was sent but no token authentication is configured");
            }
            ConnectClaims claims;
            try {
                claims = verifier.verifyConnect(token);
            } catch (TokenException e) {
                return e.reason() == TokenException.Reason.EXPIRED
                        ? Decision.refuse(ErrorCode.TOKEN_EXPIRED, "token expired")
                        : Decision.refuse(ErrorCode.UNAUTHORIZED, "invalid token: " + e.getMessage());
            }
            user = claims.user();
            permissions = claims.permissions();
        } else if (config.allowAnonymous()) {
            user = "";
        } else {
            return Decision.refuse(ErrorCode.UNAUTHORIZED, "anonymous access is not allowed: send a token");
        }
        String channel = DocumentHub.channelFor(document);
        NamespaceConfig ns = config.namespace(DocumentHub.CHANNEL_NAMESPACE);
        if (ns != null && ns.privateChannels()) {
            // a private channel needs a subscription token, which no Yjs client can send
            return Decision.refuse(ErrorCode.PERMISSION_DENIED, "documents are not available in the private namespace '"
                    + DocumentHub.CHANNEL_NAMESPACE + "'");
        }
        boolean read = allowed(ns != null && ns.allowSubscribe(), permissions == null ? null : permissions.subscribe(channel));
        boolean write = allowed(ns != null && ns.allowPublish(), permissions == null ? null : permissions.publish(channel));
        if (!read) {
            return Decision.refuse(ErrorCode.PERMISSION_DENIED, "no permission to read document '" + document
                    + "' (subscribe to channel '" + channel + "')");
        }
        return new Decision(write, user, null, null);
    }

    private static boolean allowed(boolean namespaceFlag, Boolean byToken) {
        return byToken != null ? byToken : namespaceFlag;
    }
}
