/**
 * The contract's JSON and time forms, shared by the Redis side and the HTTP side: the one configured
 * mapper ({@link io.hermes.realtime.json.Json}) and the timestamp form
 * ({@link io.hermes.realtime.json.Timestamps}). Depends on nothing of ours.
 */
package io.hermes.realtime.json;
