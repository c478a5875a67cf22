/**
 * Redis plumbing that every feature shares and that knows no feature: where Redis is and its connection
 * pool ({@link io.hermes.realtime.redis.RedisConnections}), Lua scripts kept as resources
 * ({@link io.hermes.realtime.redis.RedisScript}), telling an outage from a bug
 * ({@link io.hermes.realtime.redis.RedisUnreachable}) and logging one without a flood
 * ({@link io.hermes.realtime.redis.OutageLog}), and the start-up check of the eviction policy.
 */
package io.hermes.realtime.redis;
