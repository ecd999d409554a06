package dev.metaserve.gateway.security;

import dev.metaserve.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Decides whether an {@code Authorization} header carries a configured API key. */
@ApplicationScoped
public class ApiKeys {
    static final String BEARER = "Bearer ";
    public static final String MISSING = "missing or invalid API key: send 'Authorization: Bearer <key>'";

    private final List<String> keys;

    public ApiKeys(GatewayConfig config) {
        this.keys = config.apiKeys().orElse(List.of()).stream().filter(k -> !k.isBlank()).toList();
    }

    public boolean required() {
        return !keys.isEmpty();
    }

    /** True when no keys are configured, or the header is {@code Bearer <one of the keys>}. */
    public boolean admits(String authorizationHeader) {
        if (keys.isEmpty()) {
            return true;
        }
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        String given = authorizationHeader.substring(BEARER.length()).trim();
        boolean match = false;
        for (String key : keys) {
            match |= Secrets.equal(key, given);
        }
        return match;
    }
}
