package io.hermes.realtime.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class DevRunGreetingTest {

    @Test
    void withTheDevKeyItNamesTheAddressThatSignsThePageIn() {
        assertEquals("Dev run: open http://localhost:8080/#key=dev-admin-key (the dev run's admin key, dev-admin-key;"
                + " the page keeps it until you press \"Forget key\"). Downloads may fetch loopback and private"
                + " addresses in this run (HERMES_ALLOW_PRIVATE_URLS=true; a deployment refuses them by default).",
                DevRunGreeting.greeting("8080", "dev-admin-key", "true"));
    }

    @Test
    void aKeyOfTheUsersOwnIsNeverPrinted() {
        String line = DevRunGreeting.greeting("9090", "my-own-secret", null);
        assertEquals("Dev run: open http://localhost:9090/ and give the page a key from HERMES_API_KEYS.", line);
        assertFalse(line.contains("my-own-secret"));
    }
}
