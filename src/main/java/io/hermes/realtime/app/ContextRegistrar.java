package io.hermes.realtime.app;

import io.hermes.realtime.http.ServletRegistrar;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;

/** Registers the features' servlets with the servlet context, as instances, under {@link HermesApplication#API}. */
final class ContextRegistrar implements ServletRegistrar {
    private final ServletContext context;

    ContextRegistrar(ServletContext context) {
        this.context = context;
    }

    @Override
    public void add(String name, Servlet servlet, String path) {
        if (path.endsWith("/*")) {
            register(name, servlet).addMapping(HermesApplication.API + path);
        } else {
            register(name, servlet).addMapping(HermesApplication.API + path, HermesApplication.API + path + "/");
        }
    }

    @Override
    public void addAlsoAtRoot(String name, Servlet servlet, String path) {
        register(name, servlet).addMapping(path, HermesApplication.API + path, HermesApplication.API + path + "/");
    }

    @Override
    public void addAtRoot(String name, Servlet servlet, String path) {
        register(name, servlet).addMapping(path);
    }

    /** Async like every API servlet: bodies are received, and refused, without holding a container thread. */
    private ServletRegistration.Dynamic register(String name, Servlet servlet) {
        ServletRegistration.Dynamic registration = context.addServlet(name, servlet);
        registration.setAsyncSupported(true);
        return registration;
    }
}
