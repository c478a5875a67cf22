package io.hermes.realtime.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermes.realtime.app.Settings.InvalidSettingException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SettingsTest {

    private static Settings with(String name, String value) {
        return Settings.parse(Map.of(name, value));
    }

    @Test
    void defaultsAreTheContractsValues() {
        Settings settings = Settings.parse(Map.of());
        assertEquals(URI.create("redis://localhost:6379"), settings.redisUrl());
        assertFalse(settings.redisUrlConfigured());
        assertTrue(settings.sseEnabled());
        assertEquals(30, settings.heartbeatIntervalSeconds());
        assertEquals(1000, settings.maxConnections());
        assertEquals(300, settings.connectionTimeoutSeconds());
        assertEquals(3000, settings.retryMillis());
        assertEquals(10000, settings.replaySize());
        assertEquals(1000, settings.clientBuffer());
        assertEquals(List.of(), settings.allowedOrigins());
        assertEquals(List.of(), settings.adminApiKeys());
        assertEquals(Path.of("./downloads"), settings.downloadDir());
        assertEquals(Path.of("./temp"), settings.tempDir());
        assertTrue(settings.workerEnabled());
        assertEquals(2, settings.workerConcurrency());
        assertFalse(settings.allowPrivateUrls());
        assertEquals(1048576, settings.maxBodyBytes());
        assertEquals(10, settings.bodyReadTimeoutSeconds());
        assertEquals(8, settings.bodyMaxInFlight());
        assertEquals(16384, settings.maxMetadataBytes());
        assertTrue(settings.metricsAllow().isEmpty(), "metrics need a key unless addresses are listed");
        assertTrue(settings.privateUrlAllow().isEmpty(), "no private address is fetched unless listed");
        assertEquals(500, settings.redisTimeoutMillis());
        assertEquals(8L * 1024 * 1024, settings.pollCacheBytes());
    }

    @Test
    void infoExtractionsAreBoundedByDefault() {
        Settings settings = Settings.parse(Map.of());
        assertEquals(30, settings.infoTimeoutSeconds());
        assertEquals(4, settings.infoMaxInFlight());
        assertEquals(300, settings.infoCacheSeconds());
        assertEquals(0, with(Settings.INFO_CACHE_SECONDS, "0").infoCacheSeconds(), "0 turns the cache off");
    }

    @Test
    void blankValuesMeanTheDefault() {
        Settings settings = Settings.parse(Map.of(Settings.HEARTBEAT_INTERVAL, "  ", Settings.REDIS_URL, ""));
        assertEquals(30, settings.heartbeatIntervalSeconds());
        assertFalse(settings.redisUrlConfigured());
    }

    @Test
    void givenValuesAreTrimmedAndUsed() {
        Settings settings = Settings.parse(Map.of(
                Settings.HEARTBEAT_INTERVAL, " 15 ",
                Settings.ENABLE_SSE, "OFF",
                Settings.REDIS_URL, "rediss://cache.internal:6380",
                Settings.ALLOWED_ORIGINS, " https://a.example , ,https://b.example ",
                Settings.WORKER_CONCURRENCY, "8"));
        assertEquals(15, settings.heartbeatIntervalSeconds());
        assertFalse(settings.sseEnabled());
        assertEquals(URI.create("rediss://cache.internal:6380"), settings.redisUrl());
        assertTrue(settings.redisUrlConfigured());
        assertEquals(List.of("https://a.example", "https://b.example"), settings.allowedOrigins());
        assertEquals(8, settings.workerConcurrency());
    }

    @ParameterizedTest
    @CsvSource({
            "HERMES_SSE_HEARTBEAT_INTERVAL, 0",
            "HERMES_SSE_HEARTBEAT_INTERVAL, thirty",
            "HERMES_SSE_MAX_CONNECTIONS, -1",
            "HERMES_SSE_CONNECTION_TIMEOUT, 4",
            "HERMES_SSE_RETRY_MS, 1.5",
            "HERMES_SSE_REPLAY_SIZE, 99999999999",
            "HERMES_SSE_CLIENT_BUFFER, 0",
            "HERMES_WORKER_CONCURRENCY, 65",
            "HERMES_MAX_BODY_BYTES, 1023",
            "HERMES_BODY_READ_TIMEOUT, 0",
            "HERMES_BODY_READ_TIMEOUT, 10s",
            "HERMES_BODY_MAX_IN_FLIGHT, 0",
            "HERMES_MAX_METADATA_BYTES, 1",
            "HERMES_MAX_METADATA_BYTES, 16KB",
            "HERMES_ENABLE_SSE, maybe",
            "HERMES_WORKER_ENABLED, 2",
            "HERMES_ALLOW_PRIVATE_URLS, nope",
            "HERMES_METRICS_ALLOW, prometheus.internal",
            "HERMES_METRICS_ALLOW, 10.0.0.0/40",
            "HERMES_PRIVATE_URL_ALLOW, nas.local",
            "HERMES_PRIVATE_URL_ALLOW, 192.168.1.0/33",
            "HERMES_REDIS_TIMEOUT, 10",
            "HERMES_REDIS_TIMEOUT, 1s",
            "HERMES_POLL_CACHE_BYTES, -1",
            "HERMES_POLL_CACHE_BYTES, 8MB",
            "HERMES_INFO_TIMEOUT, 0",
            "HERMES_INFO_TIMEOUT, 30s",
            "HERMES_INFO_MAX_IN_FLIGHT, 0",
            "HERMES_INFO_CACHE_SECONDS, -1"})
    void aBadValueStopsStartUpWithAMessageNamingTheVariable(String name, String value) {
        InvalidSettingException thrown = assertThrows(InvalidSettingException.class, () -> with(name, value));
        assertTrue(thrown.getMessage().contains(name), thrown.getMessage());
        assertTrue(thrown.getMessage().contains(value), thrown.getMessage());
    }

    @Test
    void aPathThatTheFileSystemCannotHoldIsRejectedByName() {
        InvalidSettingException thrown = assertThrows(InvalidSettingException.class,
                () -> with(Settings.DOWNLOAD_DIR, "bad\0path"));
        assertTrue(thrown.getMessage().contains(Settings.DOWNLOAD_DIR), thrown.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "http://admin:s3cretPass@cache:6379",
            "redis://admin:s3cretPass@",
            "redis://admin:s3cretPass@bad host:6379",
            "redis://:s3cretPass@cache:6379/0 junk",
            "s3cretPass"})
    void aBadRedisUrlIsNamedWithoutRevealingItsPassword(String url) {
        InvalidSettingException thrown = assertThrows(InvalidSettingException.class, () -> with(Settings.REDIS_URL, url));
        assertTrue(thrown.getMessage().contains(Settings.REDIS_URL), thrown.getMessage());
        assertFalse(thrown.getMessage().contains("s3cretPass"), thrown.getMessage());
    }

    @Test
    void aRedisUrlWithCredentialsIsAccepted() {
        assertEquals("user:pw", with(Settings.REDIS_URL, "redis://user:pw@cache:6379").redisUrl().getUserInfo());
    }

    @Test
    void aLookupFunctionIsReadLikeAMap() {
        Settings settings = Settings.parse(name -> Settings.RETRY_MS.equals(name) ? "0" : null);
        assertEquals(0, settings.retryMillis());
    }

    @Test
    void metricsAllowListTakesAddressesAndRanges() {
        Settings settings = with(Settings.METRICS_ALLOW, " 127.0.0.1 , 10.0.0.0/8,::1 ");
        assertTrue(settings.metricsAllow().permits("10.2.3.4"));
        assertTrue(settings.metricsAllow().permits("::1"));
        assertFalse(settings.metricsAllow().permits("192.168.1.1"));
    }

    @Test
    void privateUrlAllowListTakesAddressesAndRanges() {
        Settings settings = with(Settings.PRIVATE_URL_ALLOW, "192.168.1.20, fd00::/8");
        assertTrue(settings.privateUrlAllow().permits("192.168.1.20"));
        assertTrue(settings.privateUrlAllow().permits("fd12::1"));
        assertFalse(settings.privateUrlAllow().permits("192.168.1.21"));
    }

    @ParameterizedTest
    @CsvSource({
            "HERMES_REDIS_URL, redis://localhost:6379",
            "HERMES_ENABLE_SSE, true",
            "HERMES_SSE_HEARTBEAT_INTERVAL, 30",
            "HERMES_SSE_MAX_CONNECTIONS, 1000",
            "HERMES_SSE_CONNECTION_TIMEOUT, 300",
            "HERMES_SSE_RETRY_MS, 3000",
            "HERMES_SSE_REPLAY_SIZE, 10000",
            "HERMES_SSE_CLIENT_BUFFER, 1000",
            "HERMES_ALLOWED_ORIGINS, ''",
            "HERMES_API_KEYS, ''",
            "HERMES_DOWNLOAD_DIR, ./downloads",
            "HERMES_TEMP_DIR, ./temp",
            "HERMES_WORKER_ENABLED, true",
            "HERMES_WORKER_CONCURRENCY, 2",
            "HERMES_ALLOW_PRIVATE_URLS, false",
            "HERMES_MAX_BODY_BYTES, 1048576"})
    void contractSettingsAreDeclaredUnderTheirContractNamesAndDefaults(String name, String contractDefault) {
        Setting<?> declared = Settings.declared().stream()
                .filter(setting -> setting.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError(name + " is not declared"));
        assertEquals(contractDefault, declared.fallback(), "the README shows this default");
    }

    @Test
    void everyDeclarationHasOneAccessorReturningItsType() throws Exception {
        Settings defaults = Settings.parse(Map.of());
        int accessors = 0;
        for (Method method : Settings.class.getDeclaredMethods()) {
            boolean accessor = Modifier.isPublic(method.getModifiers()) && !Modifier.isStatic(method.getModifiers())
                    && method.getParameterCount() == 0
                    && !Set.of("toString", "hashCode", "redisUrlConfigured").contains(method.getName());
            if (accessor) {
                // A declaration parsed to another type than its accessor returns fails here, not in production.
                assertTrue(method.invoke(defaults) != null, method.getName());
                accessors++;
            }
        }
        assertEquals(Settings.declared().size(), accessors, "one accessor per declared setting");
    }

    @Test
    void theVariablesReadAreExactlyTheDeclaredOnes() {
        Set<String> asked = new HashSet<>();
        Settings.parse(name -> {
            asked.add(name);
            return null;
        });
        Set<String> declared = Settings.declared().stream().map(Setting::name).collect(Collectors.toSet());
        assertEquals(declared, asked);
    }

    @Test
    void aSystemPropertyOverridesTheEnvironment() {
        String before = System.getProperty(Settings.RETRY_MS);
        System.setProperty(Settings.RETRY_MS, "1234");
        try {
            assertEquals(1234, Settings.fromEnvironment().retryMillis());
        } finally {
            if (before == null) {
                System.clearProperty(Settings.RETRY_MS);
            } else {
                System.setProperty(Settings.RETRY_MS, before);
            }
        }
    }

    @Test
    void theLogLineNamesEverySettingButLeavesOutCredentialsAndKeys() {
        String logged = Settings.parse(Map.of(Settings.REDIS_URL, "redis://admin:s3cretPass@cache:6379",
                Settings.API_KEYS, "firstAdminKey,secondAdminKey")).toString();
        Settings.declared().forEach(setting -> assertTrue(logged.contains(setting.name() + "="), logged));
        assertTrue(logged.contains("HERMES_REDIS_URL=redis://cache:6379"), logged);
        assertFalse(logged.contains("s3cretPass"), logged);
        assertFalse(logged.contains("AdminKey"), logged);
    }
}
