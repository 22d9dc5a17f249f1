package io.kycrouter.security;

import io.kycrouter.delivery.Delivery;
import io.kycrouter.delivery.JsonField;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a vendor signs, as a template: literal text plus placeholders.
 * <ul>
 *   <li>{@code {body}}: the raw body bytes as received</li>
 *   <li>{@code {timestamp}}: the value of the scheme's timestamp header</li>
 *   <li>{@code {header:Name}}: any request header</li>
 *   <li>{@code {$.path}}: a scalar field of the JSON body, as text</li>
 *   <li>{@code {sorted-json}} / {@code {sorted-json:$.path}}: the body (or a sub-object) re-encoded with keys
 *   sorted, compact, integer-valued floats as integers, non-ASCII unescaped (Python json.dumps style)</li>
 *   <li>{@code {php-json:$.path}}: a sub-object re-encoded as PHP's json_encode does (read from the body as PHP
 *   held it, see {@link PhpJsonValues})</li>
 * </ul>
 * Examples: {@code {body}}, {@code {timestamp}:{body}}, {@code {php-json:$.object_payload}}.
 */
public final class SignedContent {

    private interface Part {
        void append(Delivery delivery, String timestamp, ByteArrayOutputStream out);
    }

    private final String template;
    private final List<Part> parts;
    private final boolean needsJson;

    private SignedContent(String template, List<Part> parts, boolean needsJson) {
        this.template = template;
        this.parts = parts;
        this.needsJson = needsJson;
    }

    public static SignedContent parse(String template) {
        List<Part> parts = new ArrayList<>();
        boolean needsJson = false;
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            if (open < 0) {
                parts.add(literal(template.substring(i)));
                break;
            }
            if (open > i) {
                parts.add(literal(template.substring(i, open)));
            }
            int close = template.indexOf('}', open);
            if (close < 0) {
                throw new IllegalArgumentException("unclosed '{' in signed content template '" + template + "'");
            }
            String token = template.substring(open + 1, close).trim();
            Part part = placeholder(token, template);
            needsJson |= !token.equals("body") && !token.equals("timestamp") && !token.startsWith("header:");
            parts.add(part);
            i = close + 1;
        }
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("signed content template is empty");
        }
        return new SignedContent(template, List.copyOf(parts), needsJson);
    }

    private static Part literal(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return (d, ts, out) -> out.writeBytes(bytes);
    }

    private static Part placeholder(String token, String template) {
        if (token.equals("body")) {
            return (d, ts, out) -> out.writeBytes(d.body());
        }
        if (token.equals("timestamp")) {
            return (d, ts, out) -> out.writeBytes(ts == null ? new byte[0] : ts.getBytes(StandardCharsets.UTF_8));
        }
        if (token.startsWith("header:")) {
            String name = token.substring("header:".length()).trim();
            return (d, ts, out) -> utf8(d.header(name), out);
        }
        if (token.equals("sorted-json")) {
            return (d, ts, out) -> utf8(SignedJson.sortedCompact(d.json()), out);
        }
        if (token.startsWith("sorted-json:")) {
            JsonField field = JsonField.of(token.substring("sorted-json:".length()));
            return (d, ts, out) -> utf8(SignedJson.sortedCompact(field.read(d.json())), out);
        }
        if (token.startsWith("php-json:")) {
            JsonField field = JsonField.of(token.substring("php-json:".length()));
            return (d, ts, out) -> utf8(SignedJson.php(field.read(PhpJsonValues.of(d))), out);
        }
        if (token.startsWith("$")) {
            JsonField field = JsonField.of(token);
            return (d, ts, out) -> {
                Object value = field.read(d.json());
                if (value instanceof Map || value instanceof List) {
                    utf8(SignedJson.sortedCompact(value), out);
                } else if (value instanceof java.math.BigDecimal decimal) {
                    utf8(decimal.toPlainString(), out);
                } else {
                    utf8(value == null ? "" : value.toString(), out);
                }
            };
        }
        throw new IllegalArgumentException("unknown placeholder {" + token + "} in signed content template '"
                + template + "' (use {body}, {timestamp}, {header:Name}, {$.path}, {sorted-json}, {php-json:$.path})");
    }

    private static void utf8(String s, ByteArrayOutputStream out) {
        if (s != null) {
            out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Whether building the content needs the parsed JSON body. */
    public boolean needsJson() {
        return needsJson;
    }

    public byte[] build(Delivery delivery, String timestamp) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(delivery.body().length + 64);
        for (Part part : parts) {
            part.append(delivery, timestamp, out);
        }
        return out.toByteArray();
    }

    @Override
    public String toString() {
        return template;
    }
}
