/* torch.h - where PyTorch keeps its pickles, in each of its checkpoint
 * formats.
 *
 *   - zip (torch.save since 1.6): every member sits in one top folder named
 *     after the first member's ("archive/", or any name); torch.load reads
 *     <folder>/data.pkl and the tensor bytes <folder>/data/<key> by key.
 *     ll_torch_zip_layout finds the folder; ll_torch_zip_tensor_member says
 *     which members are tensor data, never read (the zip scan reads every
 *     *.pkl and sniffs the other members). A TorchScript archive
 *     (torch.jit.save: <folder>/code/ and constants.pkl) carries code that
 *     runs when it is loaded: ART_CHECK_TORCHSCRIPT_CODE; its pickles name
 *     its own classes as __torch__.*, which are not reported.
 *   - legacy (torch.save with _use_new_zipfile_serialization=False, and
 *     torch < 1.6): five pickles back to back (magic number 0x1950a86a20f9469
 *     cfc6c, protocol version, system info, the object, the storage keys),
 *     then raw storage bytes: ll_torch_legacy_rest reads pickles 2 to 5
 *     once pickle.h has recognised the magic number; the storage bytes are
 *     not read.
 *   - tar (torch 0.1.x): members "storages" (a pickle counting the storages,
 *     then per storage a pickle (key, location, storage type) and its raw
 *     bytes, then a pickle of views), "tensors" (a count, then per tensor a
 *     pickle and fixed-size metadata) and "pickle" (the object), read in
 *     that order as torch.load does.
 *
 * Ownership: layouts point into the LLZip they describe; nothing is
 * allocated. */
#ifndef LL_ARTIFACT_TORCH_H
#define LL_ARTIFACT_TORCH_H
#include "artifact/scan.h"
#include "artifact/tar.h"
#include "artifact/zip.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Storages or tensors counted in a legacy tar checkpoint that are read. */
#define LL_ART_TORCH_TAR_MAX_RECORDS (1u << 20)

typedef struct LLTorchLayout {
    const uint8_t *top; /* the first member's folder (torch's archive name) */
    size_t toplen;
    bool is_torch;       /* <folder>/data.pkl is a member */
    bool is_torchscript; /* <folder>/code/ members exist */
    const LLZipEntry *first_code;
} LLTorchLayout;

void ll_torch_zip_layout(const LLZip *z, LLTorchLayout *l);
/* <folder>/data/<digits> or <folder>/constants/<digits> of a PyTorch zip. */
bool ll_torch_zip_tensor_member(const LLTorchLayout *l, const LLZipEntry *e);

/* Reads pickles 2-5 of a legacy torch.save file, the first ending at
 * `after_magic`. */
void ll_torch_legacy_rest(const LLArtCtx *ctx, const uint8_t *data, size_t len, size_t after_magic,
                          LLArtResult *out);

/* Is this tar a legacy PyTorch checkpoint (has "pickle" and "storages")? */
bool ll_torch_tar_is_checkpoint(const LLTar *t);
/* Reads its storages, tensors and pickle members. */
void ll_torch_tar_scan(const LLArtCtx *ctx, const LLTar *t, LLArtResult *out);

#endif
