package io.hermes.realtime.sessions;

import io.hermes.realtime.auth.Authenticator;
import io.hermes.realtime.bus.Channel;
import io.hermes.realtime.bus.EventId;
import io.hermes.realtime.bus.EventPublisher;
import io.hermes.realtime.http.ApiException;
import io.hermes.realtime.http.ApiServlet;
import io.hermes.realtime.http.BodyReader;
import io.hermes.realtime.http.RequestBody;
import io.hermes.realtime.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code POST /events/publish} (contract section 8, {@code publish}): {@code {channel, type, data, owner?}} becomes
 * a replayable event, exactly as {@code bus/publish.lua} makes one (it runs that script), so a worker needs
 * neither Redis nor Lua. {@code owner} (our extension, as in the envelope) keeps an event about a download or a
 * session to its owner's streams. Answers {@code {id}}, the event's id in the replay stream.
 */
final class PublishServlet extends ApiServlet {
    /** An event name: what {@code addEventListener} takes, and safe on an SSE {@code event:} line. */
    private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final Pattern OWNER = Pattern.compile("[^\\r\\n\\x00]{1,200}");

    private final transient EventPublisher publisher;
    private final transient Authenticator authenticator;
    private final int maxDataBytes;

    PublishServlet(Json json, BodyReader bodies, EventPublisher publisher, Authenticator authenticator,
            int maxDataBytes) {
        super(json, bodies);
        this.publisher = publisher;
        this.authenticator = authenticator;
        this.maxDataBytes = maxDataBytes;
    }

    @Override
    protected void post(HttpServletRequest request, HttpServletResponse response) throws IOException {
        authenticator.authenticate(request, "publish");
        RequestBody body = RequestBody.read(json, request);
        String name = body.string("channel", 1, 100);
        Channel channel = Channel.named(name).orElseThrow(() -> ApiException.invalid("Unknown channel '"
                + name.replaceAll("[^A-Za-z0-9_:.-]", "?") + "' in 'channel': use one of "
                + String.join(", ", Arrays.stream(Channel.values()).map(Channel::redisName).toList())));
        String type = body.matching("type", TYPE, "an event name of letters, digits and _ . : -", channel.eventType());
        String data = body.object("data", maxDataBytes);
        if (data == null) {
            throw ApiException.invalid("Field 'data' is required: a JSON object");
        }
        String owner = body.matching("owner", OWNER, "an owner name on one line", null);
        EventId id = publisher.publishJson(channel, type, data, owner);
        respond(response, 200, Map.of("id", id.toString()));
    }
}
