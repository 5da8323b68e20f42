package dev.regctl.cli;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IAnnotatedElement;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.Range;

/**
 * The picocli model of each command, stored at build time from its annotations (which stay the
 * source) and rebuilt at run time with picocli's programmatic API. Reading annotations costs a
 * short run more than anything else before its first request: picocli reads them by reflection,
 * and the JVM makes a proxy class for each annotation type, which no class-data archive of JDK 17
 * holds. A command whose stored model is missing (a build that skipped the step, an IDE) gets its
 * model from the annotations as before.
 */
public final class CommandModels {
    /** Bumped whenever the layout below changes; a file of another version is not read. */
    private static final int FORMAT = 1;
    private static final String DIR = "model/";

    private CommandModels() {
    }

    /** The model of {@code command}: stored if the build stored it, else read from its annotations. */
    static CommandSpec of(Object command) {
        InputStream stored = CommandModels.class.getResourceAsStream(resource(command.getClass()));
        if (stored == null) {
            return CommandSpec.forAnnotatedObject(command);
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(stored))) {
            if (in.readInt() != FORMAT) {
                return CommandSpec.forAnnotatedObject(command);
            }
            return read(in, command);
        } catch (IOException e) {
            throw new UncheckedIOException("the stored model of " + command.getClass().getName() + " is unreadable", e);
        }
    }

    /**
     * Stores the model of every command into {@code dir} (the build's classes/dev/regctl/cli/model):
     * each is read back and compared with the one picocli reads from the annotations, and one that
     * differs is not stored, so that it keeps being read from them. Returns what was left out and why.
     */
    public static List<String> store(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<String> left = new ArrayList<>();
        for (Map.Entry<String, Supplier<Object>> command : Main.COMMANDS.entrySet()) {
            Object annotated = command.getValue().get();
            Path file = dir.resolve(annotated.getClass().getName());
            Files.deleteIfExists(file);
            CommandSpec spec = CommandSpec.forAnnotatedObject(annotated);
            String why = unsupported(spec);
            if (why == null) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                write(spec, new DataOutputStream(bytes));
                CommandSpec rebuilt = read(bytes.toByteArray(), command.getValue().get());
                if (fingerprint(rebuilt).equals(fingerprint(spec))) {
                    Files.write(file, bytes.toByteArray());
                    continue;
                }
                why = "the stored model reads back differently";
            }
            left.add(command.getKey() + ": " + why);
        }
        return left;
    }

    /** The model stored as {@code bytes}, for {@code command}. */
    static CommandSpec read(byte[] bytes, Object command) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        if (in.readInt() != FORMAT) {
            throw new IOException("not a stored model of format " + FORMAT);
        }
        return read(in, command);
    }

    /**
     * Everything of {@code spec} that the stored model carries, and its usage help, as text: two
     * models that give the same parse the same way and show the same help.
     */
    static String fingerprint(CommandSpec spec) {
        StringBuilder b = new StringBuilder();
        fingerprint(spec, b);
        return b.toString();
    }

    private static void fingerprint(CommandSpec spec, StringBuilder b) {
        UsageMessageSpec u = spec.usageMessage();
        b.append("command ").append(spec.name()).append(' ').append(Arrays.toString(spec.aliases()))
                .append(" class ").append(spec.userObject().getClass().getName())
                .append(" version ").append(spec.versionProvider() == null ? null : spec.versionProvider().getClass())
                .append(" mixins ").append(spec.mixins().keySet()).append(" hidden ").append(u.hidden()).append('\n');
        for (ArgSpec a : spec.args()) {
            b.append(a.isOption() ? "option " + Arrays.toString(((OptionSpec) a).names()) + " negatable "
                    + ((OptionSpec) a).negatable() + " fallback " + ((OptionSpec) a).fallbackValue() + " help "
                    + ((OptionSpec) a).usageHelp() + ((OptionSpec) a).versionHelp() + ((OptionSpec) a).help()
                    + " order " + ((OptionSpec) a).order()
                    : "positional " + ((PositionalParamSpec) a).index());
            b.append(" bound to ").append(a.userObject() instanceof Member m ? m.getName() : a.getter().getClass().getName())
                    .append(" type ").append(a.type().getName()).append(Arrays.toString(a.auxiliaryTypes()))
                    .append(" multi ").append(a.isMultiValue())
                    .append(" arity ").append(a.arity()).append(' ').append(a.arity().isUnspecified())
                    .append(" label ").append(a.paramLabel()).append(' ').append(a.hideParamSyntax())
                    .append(" description ").append(Arrays.toString(a.description())).append(a.descriptionKey())
                    .append(" required ").append(a.required()).append(" hidden ").append(a.hidden())
                    .append(" interactive ").append(a.interactive()).append(a.echo()).append(a.prompt())
                    .append(" split ").append(a.splitRegex()).append(a.splitRegexSynopsisLabel())
                    .append(" default ").append(a.defaultValue()).append(' ').append(a.showDefaultValue())
                    .append(" initial ").append(a.hasInitialValue()).append(' ').append(a.initialValue())
                    .append(" map-fallback ").append(a.mapFallbackValue()).append(" scope ").append(a.scopeType())
                    .append(" inherited ").append(a.inherited())
                    .append(" candidates ").append(a.completionCandidates() == null ? null : String.join(",", a.completionCandidates()))
                    .append(" converters ");
            for (CommandLine.ITypeConverter<?> c : a.converters()) {
                b.append(c.getClass().getName()).append(' ');
            }
            b.append(" preprocessor ").append(a.preprocessor().getClass().getName()).append('\n');
        }
        b.append(spec.commandLine() == null ? new CommandLine(spec).getUsageMessage(CommandLine.Help.Ansi.OFF)
                : spec.commandLine().getUsageMessage(CommandLine.Help.Ansi.OFF));
        for (CommandLine sub : spec.subcommands().values()) {
            fingerprint(sub.getCommandSpec(), b);
        }
    }

    /** Where the model of {@code type} is stored, relative to this class. */
    static String resource(Class<?> type) {
        return DIR + type.getName();
    }

    /**
     * Why {@code spec}, read from annotations, cannot be stored, or null when it can: the features
     * this format does not carry, which such a command keeps reading from its annotations.
     */
    static String unsupported(CommandSpec spec) {
        if (!spec.argGroups().isEmpty()) {
            return "argument groups";
        }
        if (!spec.unmatchedArgsBindings().isEmpty()) {
            return "@Unmatched";
        }
        if (!spec.parentCommandElements().isEmpty()) {
            return "@ParentCommand";
        }
        if (spec.defaultValueProvider() != null || spec.resourceBundleBaseName() != null) {
            return "default value providers or resource bundles";
        }
        for (ArgSpec arg : spec.args()) {
            if (arg.parameterConsumer() != null) {
                return "parameter consumers";
            }
            if (!(arg.userObject() instanceof Field) && !(arg.userObject() instanceof Method m && m.getParameterCount() == 1)) {
                return "options bound to other than a field or a one-parameter method";
            }
        }
        for (CommandSpec mixin : spec.mixins().values()) {
            if (!mixin.mixins().isEmpty() || !mixin.specElements().isEmpty()) {
                return "mixins with their own mixins or @Spec";
            }
            String why = unsupported(mixin);
            if (why != null) {
                return why;
            }
        }
        for (CommandLine sub : spec.subcommands().values()) {
            String why = unsupported(sub.getCommandSpec());
            if (why != null) {
                return why;
            }
        }
        return null;
    }

    /** Writes {@code spec}, a model picocli read from annotations that {@link #unsupported} accepts. */
    static void write(CommandSpec spec, DataOutput out) throws IOException {
        out.writeInt(FORMAT);
        writeCommand(spec, out);
    }

    private static void writeCommand(CommandSpec spec, DataOutput out) throws IOException {
        out.writeUTF(spec.name());
        writeStrings(out, spec.aliases());
        UsageMessageSpec u = spec.usageMessage();
        writeStrings(out, u.header());
        writeStrings(out, u.description());
        writeStrings(out, u.footer());
        writeNullable(out, u.footerHeading());
        writeNullable(out, u.headerHeading());
        writeNullable(out, u.synopsisHeading());
        writeNullable(out, u.descriptionHeading());
        writeNullable(out, u.parameterListHeading());
        writeNullable(out, u.optionListHeading());
        writeNullable(out, u.commandListHeading());
        writeStrings(out, u.customSynopsis());
        out.writeBoolean(u.hidden());
        out.writeBoolean(u.abbreviateSynopsis());
        out.writeBoolean(u.sortOptions());
        out.writeBoolean(u.showDefaultValues());
        writeNullable(out, spec.versionProvider() == null ? null : spec.versionProvider().getClass().getName());

        Map<ArgSpec, String> mixinOf = new IdentityHashMap<>();
        for (Map.Entry<String, CommandSpec> m : spec.mixins().entrySet()) {
            for (ArgSpec arg : m.getValue().args()) {
                mixinOf.put(arg, m.getKey());
            }
        }
        // In the order picocli added them, mixins at the place of their field: the help and the
        // completion list options in that order where they do not sort them.
        List<String> written = new ArrayList<>();
        for (ArgSpec arg : spec.args()) {
            String mixin = mixinOf.get(arg);
            if (mixin == null) {
                out.writeByte('A');
                writeArg(arg, out);
            } else if (!written.contains(mixin)) {
                written.add(mixin);
                CommandSpec mixinSpec = spec.mixins().get(mixin);
                IAnnotatedElement element = spec.mixinAnnotatedElements().get(mixin);
                out.writeByte('M');
                out.writeUTF(mixin);
                out.writeUTF(((Field) element.userObject()).getName());
                out.writeUTF(mixinSpec.userObject().getClass().getName());
                out.writeInt(mixinSpec.args().size());
                for (ArgSpec mixed : mixinSpec.args()) {
                    writeArg(mixed, out);
                }
            }
        }
        // A mixin without options still gets its object.
        for (Map.Entry<String, CommandSpec> m : spec.mixins().entrySet()) {
            if (!written.contains(m.getKey())) {
                out.writeByte('M');
                out.writeUTF(m.getKey());
                out.writeUTF(((Field) spec.mixinAnnotatedElements().get(m.getKey()).userObject()).getName());
                out.writeUTF(m.getValue().userObject().getClass().getName());
                out.writeInt(0);
            }
        }
        for (IAnnotatedElement element : spec.specElements()) {
            out.writeByte('S');
            out.writeUTF(((Field) element.userObject()).getName());
        }
        for (Map.Entry<String, CommandLine> sub : spec.subcommands().entrySet()) {
            if (sub.getKey().equals(sub.getValue().getCommandSpec().name())) {
                out.writeByte('C');
                out.writeUTF(sub.getValue().getCommandSpec().userObject().getClass().getName());
                writeCommand(sub.getValue().getCommandSpec(), out);
            }
        }
        out.writeByte('.');
    }

    private static void writeArg(ArgSpec arg, DataOutput out) throws IOException {
        if (arg instanceof OptionSpec o) {
            out.writeBoolean(true);
            writeStrings(out, o.names());
            out.writeBoolean(o.negatable());
            out.writeUTF(o.fallbackValue());
            out.writeBoolean(o.usageHelp());
            out.writeBoolean(o.versionHelp());
            out.writeBoolean(o.help());
            out.writeInt(o.order());
        } else {
            out.writeBoolean(false);
            PositionalParamSpec p = (PositionalParamSpec) arg;
            out.writeUTF(range(p.index()));
        }
        if (arg.userObject() instanceof Field f) {
            out.writeBoolean(true);
            out.writeUTF(f.getName());
        } else {
            Method m = (Method) arg.userObject();
            out.writeBoolean(false);
            out.writeUTF(m.getName());
            out.writeUTF(m.getParameterTypes()[0].getName());
        }
        out.writeUTF(arg.type().getName());
        Class<?>[] aux = arg.auxiliaryTypes();
        out.writeInt(aux.length);
        for (Class<?> c : aux) {
            out.writeUTF(c.getName());
        }
        out.writeUTF(range(arg.arity()));
        out.writeUTF(arg.paramLabel());
        out.writeBoolean(arg.hideParamSyntax());
        writeStrings(out, arg.description());
        writeNullable(out, arg.descriptionKey());
        out.writeBoolean(arg.required());
        out.writeBoolean(arg.hidden());
        out.writeBoolean(arg.interactive());
        out.writeBoolean(arg.echo());
        writeNullable(out, arg.prompt());
        out.writeUTF(arg.splitRegex());
        out.writeUTF(arg.splitRegexSynopsisLabel());
        writeNullable(out, arg.defaultValue());
        writeNullable(out, arg.mapFallbackValue());
        out.writeUTF(arg.showDefaultValue().name());
        out.writeUTF(arg.scopeType().name());
        if (arg.completionCandidates() == null) {
            out.writeInt(-1);
        } else {
            List<String> candidates = new ArrayList<>();
            arg.completionCandidates().forEach(candidates::add);
            writeStrings(out, candidates.toArray(String[]::new));
        }
        CommandLine.ITypeConverter<?>[] converters = arg.converters();
        out.writeInt(converters.length);
        for (CommandLine.ITypeConverter<?> c : converters) {
            out.writeUTF(c.getClass().getName());
        }
    }

    /** A range as written in the annotation, or "" where picocli works it out from the type or the position. */
    private static String range(Range r) {
        if (r.isUnspecified()) {
            return "";
        }
        return r.originalValue() != null ? r.originalValue() : r.toString();
    }

    private static CommandSpec read(DataInput in, Object command) throws IOException {
        CommandSpec spec = CommandSpec.wrapWithoutInspection(command);
        spec.name(in.readUTF());
        spec.aliases(readStrings(in));
        UsageMessageSpec u = spec.usageMessage();
        u.header(readStrings(in));
        u.description(readStrings(in));
        u.footer(readStrings(in));
        u.footerHeading(readNullable(in));
        u.headerHeading(readNullable(in));
        u.synopsisHeading(readNullable(in));
        u.descriptionHeading(readNullable(in));
        u.parameterListHeading(readNullable(in));
        u.optionListHeading(readNullable(in));
        u.commandListHeading(readNullable(in));
        u.customSynopsis(readStrings(in));
        u.hidden(in.readBoolean());
        u.abbreviateSynopsis(in.readBoolean());
        u.sortOptions(in.readBoolean());
        u.showDefaultValues(in.readBoolean());
        String versionProvider = readNullable(in);
        if (versionProvider != null) {
            spec.versionProvider((CommandLine.IVersionProvider) instantiate(versionProvider));
        }
        for (int kind = in.readByte(); kind != '.'; kind = in.readByte()) {
            switch (kind) {
                case 'A' -> add(spec, readArg(in, command));
                case 'M' -> {
                    String name = in.readUTF();
                    String field = in.readUTF();
                    Object mixin = instantiate(in.readUTF());
                    MemberBinding.field(command, field).set(mixin);
                    CommandSpec mixinSpec = CommandSpec.wrapWithoutInspection(mixin);
                    for (int i = in.readInt(); i > 0; i--) {
                        add(mixinSpec, readArg(in, mixin));
                    }
                    spec.addMixin(name, mixinSpec);
                }
                case 'S' -> MemberBinding.field(command, in.readUTF()).set(spec);
                case 'C' -> {
                    Object sub = instantiate(in.readUTF());
                    CommandSpec subSpec = read(in, sub);
                    spec.addSubcommand(subSpec.name(), new CommandLine(subSpec));
                }
                default -> throw new IOException("unknown entry " + kind);
            }
        }
        return spec;
    }

    private static void add(CommandSpec spec, ArgSpec arg) {
        if (arg instanceof OptionSpec o) {
            spec.addOption(o);
        } else {
            spec.addPositional((PositionalParamSpec) arg);
        }
    }

    private static ArgSpec readArg(DataInput in, Object target) throws IOException {
        OptionSpec.Builder option = null;
        PositionalParamSpec.Builder positional = null;
        if (in.readBoolean()) {
            option = OptionSpec.builder(readStrings(in));
            option.negatable(in.readBoolean()).fallbackValue(in.readUTF()).usageHelp(in.readBoolean())
                    .versionHelp(in.readBoolean()).help(in.readBoolean()).order(in.readInt());
        } else {
            positional = PositionalParamSpec.builder();
            String index = in.readUTF();
            if (!index.isEmpty()) {
                positional.index(index);
            }
        }
        Common c = Common.read(in, target);
        // The same calls on either builder: their common superclass is not public.
        if (option != null) {
            option.getter(c.binding).setter(c.binding).userObject(c.binding.member()).initialValue(c.initial)
                    .type(c.type).auxiliaryTypes(c.auxiliary).paramLabel(c.label).hideParamSyntax(c.hideSyntax)
                    .description(c.description).descriptionKey(c.descriptionKey).required(c.required).hidden(c.hidden)
                    .interactive(c.interactive).echo(c.echo).prompt(c.prompt).splitRegex(c.split)
                    .splitRegexSynopsisLabel(c.splitLabel).defaultValue(c.defaultValue).mapFallbackValue(c.mapFallback);
            // Separate statements: in a chain javac refuses these, declared in a class it cannot see.
            option.converters(c.converters);
            option.hasInitialValue(c.binding.isField());
            option.completionCandidates(c.candidates);
            option.showDefaultValue(c.showDefault);
            option.scopeType(c.scope);
            if (c.arity != null) {
                option.arity(c.arity);
            }
            return option.build();
        }
        positional.getter(c.binding).setter(c.binding).userObject(c.binding.member()).initialValue(c.initial)
                .type(c.type).auxiliaryTypes(c.auxiliary).paramLabel(c.label).hideParamSyntax(c.hideSyntax)
                .description(c.description).descriptionKey(c.descriptionKey).required(c.required).hidden(c.hidden)
                .interactive(c.interactive).echo(c.echo).prompt(c.prompt).splitRegex(c.split)
                .splitRegexSynopsisLabel(c.splitLabel).defaultValue(c.defaultValue).mapFallbackValue(c.mapFallback);
        positional.converters(c.converters);
        positional.hasInitialValue(c.binding.isField());
        positional.completionCandidates(c.candidates);
        positional.showDefaultValue(c.showDefault);
        positional.scopeType(c.scope);
        if (c.arity != null) {
            positional.arity(c.arity);
        }
        return positional.build();
    }

    /** What options and positional parameters both have, as stored. */
    private record Common(MemberBinding binding, Object initial, Class<?> type, Class<?>[] auxiliary, String arity,
                          String label, boolean hideSyntax, String[] description, String descriptionKey, boolean required,
                          boolean hidden, boolean interactive, boolean echo, String prompt, String split, String splitLabel,
                          String defaultValue, String mapFallback, CommandLine.Help.Visibility showDefault,
                          CommandLine.ScopeType scope, List<String> candidates, CommandLine.ITypeConverter<?>[] converters) {
        static Common read(DataInput in, Object target) throws IOException {
            MemberBinding binding = in.readBoolean() ? MemberBinding.field(target, in.readUTF())
                    : MemberBinding.setter(target, in.readUTF(), classNamed(in.readUTF()));
            // As picocli does for an annotated field: its value on the fresh object is the initial one.
            Object initial = binding.isField() ? binding.get() : null;
            Class<?> type = classNamed(in.readUTF());
            Class<?>[] auxiliary = new Class<?>[in.readInt()];
            for (int i = 0; i < auxiliary.length; i++) {
                auxiliary[i] = classNamed(in.readUTF());
            }
            String arity = in.readUTF();
            String label = in.readUTF();
            boolean hideSyntax = in.readBoolean();
            String[] description = readStrings(in);
            String descriptionKey = readNullable(in);
            boolean required = in.readBoolean();
            boolean hidden = in.readBoolean();
            boolean interactive = in.readBoolean();
            boolean echo = in.readBoolean();
            String prompt = readNullable(in);
            String split = in.readUTF();
            String splitLabel = in.readUTF();
            String defaultValue = readNullable(in);
            String mapFallback = readNullable(in);
            CommandLine.Help.Visibility showDefault = CommandLine.Help.Visibility.valueOf(in.readUTF());
            CommandLine.ScopeType scope = CommandLine.ScopeType.valueOf(in.readUTF());
            String[] candidates = readStrings(in);
            CommandLine.ITypeConverter<?>[] converters = new CommandLine.ITypeConverter<?>[in.readInt()];
            for (int i = 0; i < converters.length; i++) {
                converters[i] = (CommandLine.ITypeConverter<?>) instantiate(in.readUTF());
            }
            return new Common(binding, initial, type, auxiliary, arity.isEmpty() ? null : arity, label, hideSyntax,
                    description, descriptionKey, required, hidden, interactive, echo, prompt, split, splitLabel,
                    defaultValue, mapFallback, showDefault, scope, candidates == null ? null : List.of(candidates),
                    converters);
        }
    }

    private static Class<?> classNamed(String name) {
        return switch (name) {
            case "boolean" -> boolean.class;
            case "int" -> int.class;
            case "long" -> long.class;
            case "double" -> double.class;
            case "float" -> float.class;
            case "short" -> short.class;
            case "byte" -> byte.class;
            case "char" -> char.class;
            default -> {
                try {
                    yield Class.forName(name, false, CommandModels.class.getClassLoader());
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException("the stored model names a missing class: " + name, e);
                }
            }
        };
    }

    private static Object instantiate(String className) {
        try {
            Constructor<?> c = classNamed(className).getDeclaredConstructor();
            c.setAccessible(true);
            return c.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot make a " + className + " for the stored model", e);
        }
    }

    private static void writeStrings(DataOutput out, String[] strings) throws IOException {
        if (strings == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(strings.length);
        for (String s : strings) {
            out.writeUTF(s);
        }
    }

    private static String[] readStrings(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        String[] strings = new String[n];
        for (int i = 0; i < n; i++) {
            strings[i] = in.readUTF();
        }
        return strings;
    }

    private static void writeNullable(DataOutput out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String readNullable(DataInput in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
