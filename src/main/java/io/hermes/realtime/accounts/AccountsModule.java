package io.hermes.realtime.accounts;

import io.hermes.realtime.auth.Authenticator;
import io.hermes.realtime.auth.Caller;
import io.hermes.realtime.http.BodyReader;
import io.hermes.realtime.http.ServletRegistrar;
import io.hermes.realtime.json.Json;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import redis.clients.jedis.UnifiedJedis;

/**
 * Accounts and sign-in sessions: users in Redis, signup (the first account is admin), login with throttling,
 * refresh-token rotation with reuse detection, logout, the profile, and the public-signup switch.
 *
 * <p>Built in two steps because authentication and accounts need each other: {@link #build} makes the stores,
 * whose {@link #callerOf} and {@link #endedSessionsAmong} the auth module is given as functions (so {@code auth}
 * never imports this package); {@link #register} then adds the servlets, which ask the finished
 * {@link Authenticator}.
 */
public final class AccountsModule {
    private static final System.Logger LOG = System.getLogger(AccountsModule.class.getName());

    /** The settings of contract section 10 and the sign-in throttle. */
    public record Config(boolean allowPublicSignup, int accessTokenTtlSeconds, int refreshTokenTtlSeconds,
            int refreshReuseGraceSeconds, int loginMaxFailures, int loginWindowSeconds) {
    }

    private final Json json;
    private final UserStore users;
    private final SessionStore sessions;
    private final Passwords passwords;
    private final LoginThrottle throttle;

    private AccountsModule(Json json, UserStore users, SessionStore sessions, Passwords passwords,
            LoginThrottle throttle) {
        this.json = json;
        this.users = users;
        this.sessions = sessions;
        this.passwords = passwords;
        this.throttle = throttle;
    }

    /** @param revocationChannel where ending a session PUBLISHes its credential id, as revoking a key does */
    public static AccountsModule build(UnifiedJedis redis, Json json, Clock clock, Config config,
            String revocationChannel) {
        SecureRandom random = new SecureRandom();
        return new AccountsModule(json, new UserStore(redis, clock, config.allowPublicSignup()),
                new SessionStore(redis, random, clock, config.accessTokenTtlSeconds(), config.refreshTokenTtlSeconds(),
                        config.refreshReuseGraceSeconds(), revocationChannel),
                new Passwords(random), new LoginThrottle(redis, config.loginMaxFailures(), config.loginWindowSeconds()));
    }

    /**
     * Creates the first admin from the operator's settings when no account exists yet, so a server can have
     * an admin before anyone opens a browser; does nothing once any account exists. Two instances starting at
     * once both try; the second finds the name taken and leaves it.
     *
     * @throws IllegalArgumentException naming the setting, for a name or password signup would refuse
     */
    public void ensureFirstAdmin(String username, String password) {
        if (username.isEmpty()) {
            return;
        }
        if (!SignupServlet.USERNAME.matcher(username).matches()) {
            throw new IllegalArgumentException("HERMES_ADMIN_USERNAME must be 3 to 50 letters, digits or . _ -");
        }
        int length = password.codePointCount(0, password.length());
        if (length < 8 || length > 128) {
            throw new IllegalArgumentException("HERMES_ADMIN_PASSWORD must be 8 to 128 characters long when "
                    + "HERMES_ADMIN_USERNAME is set");
        }
        if (users.anyExists()) {
            return;
        }
        try {
            users.create(username, username + "@localhost", passwords.hash(password), true);
            LOG.log(System.Logger.Level.INFO, "Created the first admin account, {0}, from HERMES_ADMIN_USERNAME",
                    username);
        } catch (io.hermes.realtime.http.ApiException taken) {
            // another instance created it first
        }
    }

    /**
     * {@code revokeKeysOf} revokes the API keys a user owns, when the user is disabled or deleted.
     * Registers {@code /auth/signup|login|refresh|logout|me|profile|change-password}, {@code /users}, {@code /config/public} and
     * {@code /admin/settings}.
     */
    public void register(ServletRegistrar servlets, Authenticator authenticator, BodyReader bodies,
            Consumer<String> revokeKeysOf) {
        SignIns signIns = new SignIns(users, sessions, authenticator, json);
        servlets.add("auth-signup", new SignupServlet(json, bodies, users, passwords, signIns), "/auth/signup");
        servlets.add("auth-login", new LoginServlet(json, bodies, users, passwords, throttle, signIns), "/auth/login");
        servlets.add("auth-refresh", new RefreshServlet(json, bodies, sessions, users), "/auth/refresh");
        servlets.add("auth-logout", new LogoutServlet(json, bodies, signIns, sessions), "/auth/logout");
        servlets.add("auth-change-password",
                new PasswordChangeServlet(json, bodies, signIns, users, sessions, passwords), "/auth/change-password");
        servlets.add("auth-me", new MeServlet(json, signIns), "/auth/me");
        servlets.add("auth-profile", new ProfileServlet(json, bodies, signIns, users), "/auth/profile");
        servlets.add("config-public", new PublicConfigServlet(json, users), "/config/public");
        servlets.add("users", new UsersServlet(json, bodies, authenticator, users, sessions, passwords,
                revokeKeysOf), "/users/*");
        servlets.add("admin-settings", new AdminSettingsServlet(json, bodies, authenticator, users), "/admin/settings/*");
    }

    /**
     * The caller a live access token stands for, empty for anything else: the user's id as owner (ids are
     * never reused, unlike names), the user's permissions, and the session as credential, so that ending the
     * session ends what was opened with it. A disabled or deleted user's tokens stop working at once.
     */
    public Optional<Caller> callerOf(String accessToken) {
        return sessions.findByAccessToken(accessToken).flatMap(found -> users.findById(found.userId())
                .filter(User::active)
                .map(user -> new Caller(user.id(), user.permissions(), SessionStore.CREDENTIAL + found.sessionId())));
    }

    /** The session ids among {@code sessionIds} whose session is over, in one round trip. */
    public Set<String> endedSessionsAmong(Collection<String> sessionIds) {
        return sessions.endedAmong(sessionIds);
    }
}
