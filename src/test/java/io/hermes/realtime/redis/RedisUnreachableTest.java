package io.hermes.realtime.redis;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

class RedisUnreachableTest {

    @Test
    void aRefusedLostOrTimedOutConnectionIsAnOutage() {
        assertTrue(RedisUnreachable.is(new JedisConnectionException("Failed to connect", new ConnectException("refused"))));
        assertTrue(RedisUnreachable.is(new JedisConnectionException("Unexpected end of stream.")));
        assertTrue(RedisUnreachable.is(new IllegalStateException("wrapped", new JedisConnectionException("Read timed out"))));
    }

    @Test
    void anExhaustedPoolIsAnOutage() {
        assertTrue(RedisUnreachable.is(new JedisException("Could not get a resource from the pool",
                new NoSuchElementException("Timeout waiting for idle object"))));
    }

    @Test
    void aRedisStillLoadingItsDataIsAnOutage() {
        assertTrue(RedisUnreachable.is(new JedisDataException("LOADING Redis is loading the dataset in memory")));
    }

    @Test
    void aServerThatIsNoMasterDuringAFailoverIsAnOutage() {
        assertTrue(RedisUnreachable.is(new JedisDataException("READONLY You can't write against a read only replica.")));
        assertTrue(RedisUnreachable.is(new JedisDataException("MASTERDOWN Link with MASTER is down and"
                + " replica-serve-stale-data is set to 'no'.")));
    }

    @Test
    void bugsAndOtherRedisErrorsAreNot() {
        assertFalse(RedisUnreachable.is(new NoSuchElementException("No value present")));
        assertFalse(RedisUnreachable.is(new JedisDataException("WRONGTYPE Operation against a key holding the wrong"
                + " kind of value")));
        assertFalse(RedisUnreachable.is(new IllegalArgumentException("bad")));
    }
}
