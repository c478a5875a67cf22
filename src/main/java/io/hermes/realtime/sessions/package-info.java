/**
 * Task sessions (contract section 8): the status of a long task that any worker reports over HTTP, kept in
 * Redis ({@code hermes:task:{id}}) and announced as a replayable {@code session_status} event on
 * {@code session:updates}; and {@code POST /events/publish}, which publishes any replayable event for a worker
 * that has no Redis access. The word "session" here means a task's; sign-in sessions live in {@code accounts}.
 *
 * <p>Pieces: {@link io.hermes.realtime.sessions.SessionsModule} builds them; {@code TaskSessionStore} keeps the
 * state and publishes each change; {@code TaskSession} is one state; {@code SessionsServlet} answers
 * {@code /sessions/…} (handing {@code /sessions/{id}/status/stream} to the stream package's servlet);
 * {@code PublishServlet} answers {@code /events/publish}. No threads of its own: everything runs on the request's.
 */
package io.hermes.realtime.sessions;
