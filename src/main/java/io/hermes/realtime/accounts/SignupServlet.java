package io.hermes.realtime.accounts;

import io.hermes.realtime.http.ApiException;
import io.hermes.realtime.http.ApiServlet;
import io.hermes.realtime.http.BodyReader;
import io.hermes.realtime.http.RequestBody;
import io.hermes.realtime.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * {@code POST /auth/signup}: creates an account and signs it in (200, as upstream). The first account ever is
 * admin; after it, 403 unless public signup is on.
 */
final class SignupServlet extends ApiServlet {
    static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_.-]{3,50}");
    static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+");

    private final transient UserStore users;
    private final transient Passwords passwords;
    private final transient SignIns signIns;

    SignupServlet(Json json, BodyReader bodies, UserStore users, Passwords passwords, SignIns signIns) {
        super(json, bodies);
        this.users = users;
        this.passwords = passwords;
        this.signIns = signIns;
    }

    @Override
    protected void post(HttpServletRequest request, HttpServletResponse response) throws IOException {
        RequestBody body = RequestBody.read(json, request);
        String username = username(body);
        String email = email(body, "email");
        String password = password(body);
        // Spares the hashing when signup is plainly closed; the script decides again, atomically.
        if (users.anyExists() && !users.publicSignup()) {
            throw new ApiException(403, "Public signup is disabled. Ask an administrator to create your account.");
        }
        User user = users.signUp(username, email, passwords.hash(password));
        respond(response, 200, signIns.openSession(user));
    }

    static String username(RequestBody body) {
        String username = body.string("username", 3, 50);
        if (!USERNAME.matcher(username).matches()) {
            throw ApiException.invalid("Field 'username' may contain only letters, digits, '_', '.' and '-'");
        }
        return username;
    }

    static String email(RequestBody body, String name) {
        String email = body.string(name, 3, 254);
        if (!EMAIL.matcher(email).matches()) {
            throw ApiException.invalid("Field '" + name + "' must be an email address");
        }
        return email;
    }

    static String password(RequestBody body) {
        return body.string("password", 8, 128);
    }
}
