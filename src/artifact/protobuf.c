#include "artifact/protobuf.h"

#include <string.h>

void ll_protobuf_init(LLProtobufReader *r, const uint8_t *base, size_t start, size_t end)
{
    r->base = base;
    r->pos = start;
    r->end = end;
}

void ll_protobuf_sub(LLProtobufReader *r, const LLProtobufReader *parent, const LLProtobufField *f)
{
    r->base = parent->base;
    r->pos = f->offset;
    r->end = f->offset + f->len;
}

/* Reads a varint at *pos (< end); false when it runs past end or over 10 bytes. */
static bool read_varint(const uint8_t *b, size_t *pos, size_t end, uint64_t *out)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < 10; i++) {
        if (*pos >= end)
            return false;
        uint8_t c = b[(*pos)++];
        if (i == 9 && c > 1)
            return false; /* more than 64 bits */
        v |= (uint64_t)(c & 0x7f) << (7 * i);
        if (!(c & 0x80)) {
            *out = v;
            return true;
        }
    }
    return false;
}

/* Reads the tag at *pos; on success the field's wire type and number. */
static const char *read_tag(const uint8_t *b, size_t *pos, size_t end, uint32_t *number,
                            unsigned *wire)
{
    uint64_t tag;
    if (!read_varint(b, pos, end, &tag))
        return "truncated or over-long field tag";
    *wire = (unsigned)(tag & 7);
    uint64_t num = tag >> 3;
    if (num == 0 || num > 0x1fffffffu)
        return "field number 0 or out of range";
    *number = (uint32_t)num;
    return NULL;
}

/* Skips the value of a field of wire type `wire` starting at *pos (not
 * groups). */
static const char *skip_value(const uint8_t *b, size_t *pos, size_t end, unsigned wire)
{
    uint64_t v;
    switch (wire) {
    case LL_PB_VARINT:
        return read_varint(b, pos, end, &v) ? NULL : "truncated varint";
    case LL_PB_FIXED64:
        if (end - *pos < 8)
            return "truncated 64-bit value";
        *pos += 8;
        return NULL;
    case LL_PB_FIXED32:
        if (end - *pos < 4)
            return "truncated 32-bit value";
        *pos += 4;
        return NULL;
    case LL_PB_BYTES:
        if (!read_varint(b, pos, end, &v))
            return "truncated length";
        if (v > end - *pos)
            return "length-delimited field runs past the end of its message";
        *pos += (size_t)v;
        return NULL;
    default:
        return "invalid wire type";
    }
}

/* Skips a group whose start tag (number `number`) was just read: fields up
 * to the matching end tag, nested groups counted, not recursed into. */
static const char *skip_group(const uint8_t *b, size_t *pos, size_t end, uint32_t number,
                              size_t *content_end)
{
    uint32_t open[LL_PROTOBUF_MAX_GROUP_DEPTH];
    unsigned depth = 0;
    open[depth++] = number;
    while (depth > 0) {
        size_t at = *pos;
        uint32_t n;
        unsigned w;
        const char *e = read_tag(b, pos, end, &n, &w);
        if (e)
            return e;
        if (w == 3) {
            if (depth >= LL_PROTOBUF_MAX_GROUP_DEPTH)
                return "groups nested deeper than LL_PROTOBUF_MAX_GROUP_DEPTH";
            open[depth++] = n;
        } else if (w == 4) {
            if (open[depth - 1] != n)
                return "group end tag does not match its start";
            depth--;
            if (depth == 0)
                *content_end = at;
        } else {
            e = skip_value(b, pos, end, w);
            if (e)
                return e;
        }
    }
    return NULL;
}

LLProtobufStatus ll_protobuf_next(LLProtobufReader *r, LLProtobufField *f, const char **error)
{
    if (r->pos >= r->end)
        return LL_PROTOBUF_END;
    const uint8_t *b = r->base;
    size_t pos = r->pos;
    memset(f, 0, sizeof *f);
    f->field_offset = pos;
    unsigned wire;
    const char *e = read_tag(b, &pos, r->end, &f->number, &wire);
    if (!e) {
        switch (wire) {
        case LL_PB_VARINT:
            f->offset = pos;
            if (!read_varint(b, &pos, r->end, &f->value))
                e = "truncated or over-long varint";
            break;
        case LL_PB_FIXED64:
            f->offset = pos;
            if (r->end - pos < 8) {
                e = "truncated 64-bit value";
            } else {
                for (unsigned i = 0; i < 8; i++)
                    f->value |= (uint64_t)b[pos + i] << (8 * i);
                pos += 8;
            }
            break;
        case LL_PB_FIXED32:
            f->offset = pos;
            if (r->end - pos < 4) {
                e = "truncated 32-bit value";
            } else {
                for (unsigned i = 0; i < 4; i++)
                    f->value |= (uint64_t)b[pos + i] << (8 * i);
                pos += 4;
            }
            break;
        case LL_PB_BYTES: {
            uint64_t n;
            if (!read_varint(b, &pos, r->end, &n)) {
                e = "truncated length";
            } else if (n > r->end - pos) {
                e = "length-delimited field runs past the end of its message";
            } else {
                f->offset = pos;
                f->data = b + pos;
                f->len = (size_t)n;
                pos += (size_t)n;
            }
            break;
        }
        case 3: {
            size_t start = pos, content_end = pos;
            e = skip_group(b, &pos, r->end, f->number, &content_end);
            if (!e) {
                f->offset = start;
                f->data = b + start;
                f->len = content_end - start;
            }
            break;
        }
        case 4:
            e = "group end tag without a start";
            break;
        default:
            e = "invalid wire type (6 or 7)";
            break;
        }
    }
    if (e) {
        *error = e;
        return LL_PROTOBUF_ERROR;
    }
    f->wire = (LLProtobufWire)wire;
    r->pos = pos;
    return LL_PROTOBUF_FIELD;
}

bool ll_protobuf_well_formed(const uint8_t *base, size_t start, size_t end, bool truncated_ok)
{
    LLProtobufReader r;
    ll_protobuf_init(&r, base, start, end);
    LLProtobufField f;
    const char *e;
    for (;;) {
        LLProtobufStatus st = ll_protobuf_next(&r, &f, &e);
        if (st == LL_PROTOBUF_END)
            return true;
        if (st == LL_PROTOBUF_ERROR)
            return truncated_ok && strstr(e, "past the end") != NULL;
    }
}
