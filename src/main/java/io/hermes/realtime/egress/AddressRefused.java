package io.hermes.realtime.egress;

/**
 * Why {@link AddressPolicy} refused a URL or a host: a message a user can read as it stands, and an
 * {@link #errorType()} that a download stores as its {@code error_type}, as the worker's own failures do.
 */
public final class AddressRefused extends Exception {
    /** A host with an address that is not public (loopback, private, link-local …) and not allowed by name. */
    public static final String PRIVATE_ADDRESS = "private_address";
    /** A host name that does not resolve. */
    public static final String DNS_FAILURE = "dns_failure";
    /** Not an http(s) URL with a host. */
    public static final String UNSUPPORTED_SCHEME = "unsupported_scheme";

    private final String errorType;

    AddressRefused(String errorType, String message, Throwable cause) {
        super(message, cause);
        this.errorType = errorType;
    }

    AddressRefused(String errorType, String message) {
        this(errorType, message, null);
    }

    /** One of {@link #PRIVATE_ADDRESS}, {@link #DNS_FAILURE} and {@link #UNSUPPORTED_SCHEME}. */
    public String errorType() {
        return errorType;
    }
}
