package io.hermes.realtime.http;

import io.hermes.realtime.json.Json;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import java.util.EnumSet;
import java.util.List;

/**
 * Registers what every response passes through (security headers; CORS on the API; the page's files,
 * which answer GET, HEAD and OPTIONS only) and what answers when no feature does: web.xml's error page
 * and the API's JSON 404.
 */
public final class HttpModule {
    private HttpModule() {
    }

    /**
     * @param apiPrefix      where the API's servlets are mapped ({@code /api/v1}): CORS applies below it
     * @param allowedOrigins the origins CORS allows; empty for the same origin only
     */
    public static void register(ServletContext context, ServletRegistrar servlets, Json json, String apiPrefix,
            List<String> allowedOrigins) {
        addFilter(context, "security-headers", new SecurityHeadersFilter(), "/*");
        addFilter(context, "cors", new CorsFilter(allowedOrigins), apiPrefix + "/*");
        // Requests only: an error dispatch is the error page's, whatever method the failed request had.
        FilterRegistration.Dynamic staticFiles = context.addFilter("static-files", new StaticFilesFilter(json));
        staticFiles.setAsyncSupported(true);
        staticFiles.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
        // The target of web.xml's <error-page>: every error the container raises becomes the contract's JSON.
        ServletRegistration.Dynamic errorPage = context.addServlet("error-page", new ErrorPageServlet(json));
        errorPage.setAsyncSupported(true);
        errorPage.addMapping(ErrorPageServlet.PATH);
        servlets.add("not-found", new NotFoundServlet(json), "/*");
    }

    private static void addFilter(ServletContext context, String name, Filter filter, String path) {
        FilterRegistration.Dynamic registration = context.addFilter(name, filter);
        registration.setAsyncSupported(true);
        registration.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ERROR), true, path);
    }
}
