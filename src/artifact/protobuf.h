/* protobuf.h - a minimal, bounded reader of the protobuf wire format.
 *
 * The SavedModel and ONNX readers walk their messages with it: one call of
 * ll_protobuf_next returns the next field of the message being read (its
 * number, wire type, and either its integer value or the byte range of its
 * payload). A length-delimited payload that is itself a message is read by
 * starting another LLProtobufReader on it; the callers keep their own
 * explicit stacks of readers, so nothing here recurses on the nesting of the
 * input. Deprecated groups (wire types 3 and 4) are skipped whole, with
 * their nesting counted (LL_PROTOBUF_MAX_GROUP_DEPTH) instead of recursed.
 *
 * Errors (a varint longer than 10 bytes, a length past the end, wire type
 * 6 or 7, field number 0, an unbalanced group) stop the reader: the call
 * returns LL_PROTOBUF_ERROR and fills `error` with a static sentence and
 * the reader's `pos` with the offset of the bad field.
 *
 * Ownership: a reader borrows the bytes it reads; fields point into them.
 * No allocation, no state outside the reader. */
#ifndef LL_PROTOBUF_H
#define LL_PROTOBUF_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Nesting of deprecated groups skipped inside one field. */
#define LL_PROTOBUF_MAX_GROUP_DEPTH 32u
/* Message nesting the format readers follow (their explicit stacks). */
#define LL_PROTOBUF_MAX_DEPTH 64u

typedef enum LLProtobufWire {
    LL_PB_VARINT = 0,
    LL_PB_FIXED64 = 1,
    LL_PB_BYTES = 2,
    LL_PB_GROUP = 3, /* a whole skipped group: data/len cover its fields */
    LL_PB_FIXED32 = 5,
} LLProtobufWire;

typedef struct LLProtobufReader {
    const uint8_t *base; /* start of the whole buffer (offsets are relative to it) */
    size_t pos, end;     /* the message being read: [pos, end) of base */
} LLProtobufReader;

typedef struct LLProtobufField {
    uint32_t number;
    LLProtobufWire wire;
    uint64_t value;      /* varint, fixed64 or fixed32 value */
    const uint8_t *data; /* LL_PB_BYTES / LL_PB_GROUP payload */
    size_t len;
    size_t offset;       /* offset of the payload (or value) in base */
    size_t field_offset; /* offset of the field's tag in base */
} LLProtobufField;

typedef enum LLProtobufStatus {
    LL_PROTOBUF_FIELD = 0, /* *f holds the next field */
    LL_PROTOBUF_END,       /* the message is over */
    LL_PROTOBUF_ERROR,     /* malformed: *error says why, r->pos where */
} LLProtobufStatus;

/* A reader of base[start, end). */
void ll_protobuf_init(LLProtobufReader *r, const uint8_t *base, size_t start, size_t end);
/* A reader of a length-delimited field's payload. */
void ll_protobuf_sub(LLProtobufReader *r, const LLProtobufReader *parent, const LLProtobufField *f);
LLProtobufStatus ll_protobuf_next(LLProtobufReader *r, LLProtobufField *f, const char **error);
/* Whether base[start, end) reads to its end as fields (no nested checks):
 * the cheap plausibility test the sniffers use. `truncated_ok` accepts a
 * last field cut off by `end` (a head of a file). */
bool ll_protobuf_well_formed(const uint8_t *base, size_t start, size_t end, bool truncated_ok);

#endif
