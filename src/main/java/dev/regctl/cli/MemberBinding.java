package dev.regctl.cli;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import picocli.CommandLine;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;

/**
 * An option's or parameter's value held in a field, or handed to a setter method, of one command
 * or mixin object: what picocli binds an annotated member to, found by its name instead.
 */
final class MemberBinding implements IGetter, ISetter {
    private final Object target;
    private final Field field;
    private final Method setter;
    /** A setter method's last value, which is what picocli reports as its current value. */
    private Object last;

    private MemberBinding(Object target, Field field, Method setter) {
        this.target = target;
        this.field = field;
        this.setter = setter;
    }

    /** The field {@code name} of {@code target}, declared by its class or a superclass. */
    static MemberBinding field(Object target, String name) {
        Field f = declaredField(target.getClass(), name);
        f.setAccessible(true);
        return new MemberBinding(target, f, null);
    }

    /** The one-parameter method {@code name} of {@code target}, declared by its class or a superclass. */
    static MemberBinding setter(Object target, String name, Class<?> parameter) {
        for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Method m = c.getDeclaredMethod(name, parameter);
                m.setAccessible(true);
                return new MemberBinding(target, null, m);
            } catch (NoSuchMethodException e) {
                // declared higher up
            }
        }
        throw new IllegalStateException("no method " + name + "(" + parameter.getName() + ") in " + target.getClass());
    }

    static Field declaredField(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                return c.getDeclaredField(name);
            } catch (NoSuchFieldException e) {
                // declared higher up
            }
        }
        throw new IllegalStateException("no field " + name + " in " + type);
    }

    /** The field or method, as picocli names an annotated member its user object. */
    Member member() {
        return field != null ? field : setter;
    }

    /** True when the value lives in a field, whose value on a fresh object is the option's initial value. */
    boolean isField() {
        return field != null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get() {
        if (field == null) {
            return (T) last;
        }
        try {
            return (T) field.get(target);
        } catch (IllegalAccessException e) {
            throw new CommandLine.PicocliException("cannot read " + field, e);
        }
    }

    @Override
    public <T> T set(T value) {
        T old = get();
        try {
            if (field != null) {
                field.set(target, value);
            } else {
                setter.invoke(target, value);
            }
        } catch (IllegalAccessException e) {
            throw new CommandLine.PicocliException("cannot set " + (field != null ? field : setter), e);
        } catch (InvocationTargetException e) {
            // As picocli does for an annotated setter: its own exceptions (a ParameterException) pass unchanged.
            if (e.getCause() instanceof CommandLine.PicocliException p) {
                throw p;
            }
            throw new CommandLine.PicocliException("could not invoke " + setter + " with " + value, e.getCause());
        }
        last = value;
        return old;
    }
}
