package io.hermes.realtime.accounts;

import io.hermes.realtime.http.ApiException;
import io.hermes.realtime.json.Timestamps;
import io.hermes.realtime.redis.RedisScript;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import redis.clients.jedis.AbstractTransaction;
import redis.clients.jedis.UnifiedJedis;

/**
 * Accounts in Redis: {@code hermes:user:{id}} (a hash), the indexes {@code hermes:user:name:{username}} and
 * {@code hermes:user:email:{email}} (both lower-cased) → id, and the set {@code hermes:users}. The switch for
 * public signup lives in the hash {@code hermes:settings}, field {@code allow_public_signup}.
 */
final class UserStore {
    private static final String IDS = "hermes:users";
    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    static final String SETTINGS = "hermes:settings";
    private static final String SIGNUP_SWITCH = "allow_public_signup";
    private static final RedisScript CREATE = RedisScript.load(UserStore.class, "create_user.lua");

    private final UnifiedJedis redis;
    private final Clock clock;
    private final boolean publicSignupByDefault;

    UserStore(UnifiedJedis redis, Clock clock, boolean publicSignupByDefault) {
        this.redis = redis;
        this.clock = clock;
        this.publicSignupByDefault = publicSignupByDefault;
    }

    /**
     * Creates an account by signup: admin when it is the first, refused (403) when others exist and signup is
     * closed, 409 when the username or email is taken; all decided in one script.
     */
    User signUp(String username, String email, String passwordHash) {
        String id = UUID.randomUUID().toString();
        String createdAt = Timestamps.format(clock.instant());
        Object outcome = CREATE.run(redis, List.of(recordKey(id), nameKey(username), emailKey(email), IDS, SETTINGS),
                List.of(id, username, email, passwordHash, createdAt, "signup", publicSignupByDefault ? "1" : "0", "0"));
        switch (String.valueOf(outcome)) {
            case "closed" -> throw new ApiException(403,
                    "Public signup is disabled. Ask an administrator to create your account.");
            case "username" -> throw new ApiException(409, "Username already exists");
            case "email" -> throw new ApiException(409, "Email already in use");
            default -> {
                return findById(id).orElseThrow();
            }
        }
    }

    /**
     * Creates an account for an admin, whatever the signup switch says; 409 when the name or email is taken.
     * It is admin when {@code admin} says so (or when it is the very first account).
     */
    User create(String username, String email, String passwordHash, boolean admin) {
        String id = UUID.randomUUID().toString();
        String createdAt = Timestamps.format(clock.instant());
        Object outcome = CREATE.run(redis, List.of(recordKey(id), nameKey(username), emailKey(email), IDS, SETTINGS),
                List.of(id, username, email, passwordHash, createdAt, "admin", "0", admin ? "1" : "0"));
        switch (String.valueOf(outcome)) {
            case "username" -> throw new ApiException(409, "Username already exists");
            case "email" -> throw new ApiException(409, "Email already exists");
            default -> {
                return findById(id).orElseThrow();
            }
        }
    }

    /** Every account, newest first, as upstream lists them. */
    List<User> list() {
        List<User> users = new ArrayList<>();
        for (String id : redis.smembers(IDS)) {
            findById(id).ifPresent(users::add);
        }
        users.sort(Comparator.comparing(User::createdAt).reversed());
        return users;
    }

    long adminCount() {
        return list().stream().filter(User::admin).count();
    }

    void setPasswordHash(User user, String passwordHash) {
        redis.hset(recordKey(user.id()), "password", passwordHash);
    }

    /** Sets {@code is_admin} or {@code is_active}. */
    User setFlag(User user, String field, boolean value) {
        redis.hset(recordKey(user.id()), field, value ? "1" : "0");
        return findById(user.id()).orElseThrow(() -> ApiException.notFound("User not found"));
    }

    void delete(User user) {
        try (AbstractTransaction transaction = redis.multi()) {
            transaction.del(recordKey(user.id()));
            transaction.del(nameKey(user.username()));
            transaction.del(emailKey(user.email()));
            transaction.srem(IDS, user.id());
            transaction.exec();
        }
    }

    /** The account with this id; an id not shaped like ours (a path segment, say) is not looked up. */
    Optional<User> findById(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            return Optional.empty();
        }
        Map<String, String> fields = redis.hgetAll(recordKey(id));
        return fields.isEmpty() ? Optional.empty() : Optional.of(User.read(fields));
    }

    /** The account whose username, else whose email, is {@code login} (either case). */
    Optional<User> findByLogin(String login) {
        String id = redis.get(nameKey(login));
        if (id == null) {
            id = redis.get(emailKey(login));
        }
        return id == null ? Optional.empty() : findById(id);
    }

    void recordLogin(String id) {
        redis.hset(recordKey(id), "last_login", Timestamps.format(clock.instant()));
    }

    /**
     * Changes the profile: a new {@code email} (or {@code null} to keep it), which must be free (409), and the
     * fields of {@code others} ({@code avatar}, {@code preferences}): a value sets one, an empty one clears
     * it. The email index is claimed with SET NX before the record changes, so two accounts never share one.
     */
    User updateProfile(User user, String email, Map<String, Optional<String>> others) {
        if (email != null && !email.equalsIgnoreCase(user.email())) {
            String claimed = emailKey(email);
            if (redis.setnx(claimed, user.id()) == 0 && !user.id().equals(redis.get(claimed))) {
                throw new ApiException(409, "Email already in use");
            }
            redis.hset(recordKey(user.id()), "email", email);
            redis.del(emailKey(user.email()));
        } else if (email != null) {
            redis.hset(recordKey(user.id()), "email", email);
        }
        others.forEach((field, value) -> {
            if (value.isPresent()) {
                redis.hset(recordKey(user.id()), field, value.get());
            } else {
                redis.hdel(recordKey(user.id()), field);
            }
        });
        return findById(user.id()).orElseThrow(() -> ApiException.notFound("User not found"));
    }

    boolean anyExists() {
        return redis.scard(IDS) > 0;
    }

    /** The stored switch, else the setting's default. Whether signup is open at all also depends on {@link #anyExists}. */
    boolean publicSignup() {
        String stored = redis.hget(SETTINGS, SIGNUP_SWITCH);
        return stored == null ? publicSignupByDefault : stored.equals("1");
    }

    /** Turns the switch, remembering when and by whom (the admin page shows "Last updated"). */
    void setPublicSignup(boolean enabled, String byUserId) {
        redis.hset(SETTINGS, Map.of(SIGNUP_SWITCH, enabled ? "1" : "0",
                SIGNUP_SWITCH + "_updated_at", Timestamps.format(clock.instant()),
                SIGNUP_SWITCH + "_updated_by", byUserId));
    }

    /** The system settings as {@code GET /admin/settings} shows them: the switch, and its last change if any. */
    Map<String, Object> settingsView() {
        Map<String, String> stored = redis.hgetAll(SETTINGS);
        Map<String, Object> view = new java.util.LinkedHashMap<>();
        view.put("allowPublicSignup", publicSignup());
        view.put("updatedAt", stored.get(SIGNUP_SWITCH + "_updated_at"));
        view.put("updatedByUserId", stored.get(SIGNUP_SWITCH + "_updated_by"));
        return view;
    }

    private static String recordKey(String id) {
        return "hermes:user:" + id;
    }

    private static String nameKey(String username) {
        return "hermes:user:name:" + username.toLowerCase(Locale.ROOT);
    }

    private static String emailKey(String email) {
        return "hermes:user:email:" + email.toLowerCase(Locale.ROOT);
    }
}
