package io.hermes.realtime.accounts;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermes.realtime.http.ApiException;
import io.hermes.realtime.http.ApiServlet;
import io.hermes.realtime.http.BodyReader;
import io.hermes.realtime.http.RequestBody;
import io.hermes.realtime.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code PATCH /auth/profile {email?, avatar?, preferences?}}: changes the signed-in user's profile and
 * answers with the user. Other fields are ignored, as upstream does; none of these three is a 400. A
 * {@code null} avatar or preferences clears it.
 */
final class ProfileServlet extends ApiServlet {
    private static final int MAX_AVATAR = 2048;
    private static final int MAX_PREFERENCES_BYTES = 16_384;

    private final transient SignIns signIns;
    private final transient UserStore users;

    ProfileServlet(Json json, BodyReader bodies, SignIns signIns, UserStore users) {
        super(json, bodies);
        this.signIns = signIns;
        this.users = users;
    }

    @Override
    protected void patch(HttpServletRequest request, HttpServletResponse response) throws IOException {
        User user = signIns.currentUser(request);
        RequestBody body = RequestBody.read(json, request);
        String email = body.node("email") == null ? null : SignupServlet.email(body, "email");
        Map<String, Optional<String>> others = new LinkedHashMap<>();
        JsonNode avatar = body.node("avatar");
        if (avatar != null) {
            others.put("avatar", Optional.ofNullable(body.string("avatar", 0, MAX_AVATAR, null)));
        }
        JsonNode preferences = body.node("preferences");
        if (preferences != null) {
            others.put("preferences", Optional.ofNullable(body.object("preferences", MAX_PREFERENCES_BYTES)));
        }
        if (email == null && others.isEmpty()) {
            throw new ApiException(400, "No valid fields to update");
        }
        respond(response, 200, users.updateProfile(user, email, others).view(json));
    }
}
