package io.hermes.realtime.accounts;

import io.hermes.realtime.http.ApiException;
import io.hermes.realtime.http.ApiServlet;
import io.hermes.realtime.http.BodyReader;
import io.hermes.realtime.http.RequestBody;
import io.hermes.realtime.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * {@code POST /auth/login {username | email, password}}: the username field may hold the email too. An unknown name and a wrong password get the
 * same 401 after the same work (a dummy hash is verified), so neither the answer nor its time tells which
 * accounts exist. Failures are counted per name and per address ({@link LoginThrottle}).
 */
final class LoginServlet extends ApiServlet {
    static final String INCORRECT = "Incorrect username or password";

    private final transient UserStore users;
    private final transient Passwords passwords;
    private final transient LoginThrottle throttle;
    private final transient SignIns signIns;

    LoginServlet(Json json, BodyReader bodies, UserStore users, Passwords passwords, LoginThrottle throttle,
            SignIns signIns) {
        super(json, bodies);
        this.users = users;
        this.passwords = passwords;
        this.throttle = throttle;
        this.signIns = signIns;
    }

    @Override
    protected void post(HttpServletRequest request, HttpServletResponse response) throws IOException {
        RequestBody body = RequestBody.read(json, request);
        // The app's LoginCredentials may carry the email in place of the username.
        String login = body.string(body.node("username") == null && body.node("email") != null ? "email" : "username",
                1, 254);
        // Longer than any password signup accepts; the cap keeps a huge one from costing PBKDF2 time.
        String password = body.string("password", 1, 1024);
        String address = request.getRemoteAddr();
        throttle.check(login, address);
        Optional<User> found = users.findByLogin(login);
        if (!passwords.verify(password, found.map(User::passwordHash).orElse(null)) || found.isEmpty()) {
            throttle.failed(login, address);
            throw new ApiException(401, INCORRECT);
        }
        throttle.succeeded(login);
        User user = found.get();
        if (!user.active()) {
            throw new ApiException(401, "Account is disabled");
        }
        respond(response, 200, signIns.openSession(user));
    }
}
