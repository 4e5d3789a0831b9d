/* philox_simd.c: Philox4x32-10 blocks for consecutive streams with x86 vector intrinsics
 * (philox_simd.h). Each 64-bit lane holds one stream's word in its low half; a round is two
 * vpmuludq (the 32 x 32 -> 64-bit products, which ignore the upper halves), two shifts and four
 * xors. From the portable code (philox_stream_block_wide) GCC 12 makes the products vpmullq
 * (AVX-512, 3 uops) or shifts and adds (AVX2): these take half the time, 1.6 against 3.1 ns per
 * block of 4 words with AVX-512 and 3.2 against 6.1 with AVX2 on the 2-core Xeon
 * (bench/README.md). The rounds are Salmon et al.'s (SC'11), as kernels/philox.h writes them. */
#include "philox_simd.h"

#include <stddef.h>

#include "../kernels/philox.h"

void philox_words_portable(uint64_t seed, uint64_t first, uint64_t b, int n, uint32_t *w0,
                           uint32_t *w1, uint32_t *w2, uint32_t *w3)
{
    /* The multipliers through an empty asm: GCC then multiplies instead of expanding products
     * by constants into shifts and adds. */
    uint32_t m0 = PHILOX_M0, m1 = PHILOX_M1;
    __asm__("" : "+r"(m0));
    __asm__("" : "+r"(m1));
    for (int i = 0; i < n; i++) {
        philox_block block = philox_stream_block_wide(seed, first + (uint64_t)i, b, m0, m1);
        w0[i] = block.word[0];
        w1[i] = block.word[1];
        w2[i] = block.word[2];
        w3[i] = block.word[3];
    }
}

#if defined(__x86_64__) && defined(THIRST_CPU_WORDS_AVX512)
#include <immintrin.h>

/* 8 streams per register; the last n % 8 through the portable loop. */
__attribute__((target("avx512f"))) static void words_avx512(uint64_t seed, uint64_t first,
                                                             uint64_t b, int n, uint32_t *w0,
                                                             uint32_t *w1, uint32_t *w2,
                                                             uint32_t *w3)
{
    const __m512i m0 = _mm512_set1_epi64(PHILOX_M0), m1 = _mm512_set1_epi64(PHILOX_M1);
    const __m512i lane = _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0);
    const __m512i low = _mm512_set1_epi64(0xffffffff);
    int i = 0;
    for (; i + 8 <= n; i += 8) {
        __m512i stream =
            _mm512_add_epi64(_mm512_set1_epi64((long long)(first + (uint64_t)i)), lane);
        __m512i x0 = _mm512_set1_epi64((uint32_t)b), x1 = _mm512_set1_epi64((uint32_t)(b >> 32));
        __m512i x2 = _mm512_and_si512(stream, low), x3 = _mm512_srli_epi64(stream, 32);
        uint32_t k0 = (uint32_t)seed, k1 = (uint32_t)(seed >> 32);
        for (int round = 0; round < 10; round++) {
            __m512i p0 = _mm512_mul_epu32(x0, m0), p1 = _mm512_mul_epu32(x2, m1);
            x0 = _mm512_xor_si512(_mm512_xor_si512(_mm512_srli_epi64(p1, 32), x1),
                                  _mm512_set1_epi64(k0));
            x1 = p1;
            x2 = _mm512_xor_si512(_mm512_xor_si512(_mm512_srli_epi64(p0, 32), x3),
                                  _mm512_set1_epi64(k1));
            x3 = p0;
            k0 += PHILOX_W0;
            k1 += PHILOX_W1;
        }
        /* vpmovqd keeps each lane's low half: the word. */
        _mm256_storeu_si256((__m256i *)(w0 + i), _mm512_cvtepi64_epi32(x0));
        _mm256_storeu_si256((__m256i *)(w1 + i), _mm512_cvtepi64_epi32(x1));
        _mm256_storeu_si256((__m256i *)(w2 + i), _mm512_cvtepi64_epi32(x2));
        _mm256_storeu_si256((__m256i *)(w3 + i), _mm512_cvtepi64_epi32(x3));
    }
    philox_words_portable(seed, first + (uint64_t)i, b, n - i, w0 + i, w1 + i, w2 + i, w3 + i);
}
#endif

#if defined(__x86_64__) && defined(THIRST_CPU_WORDS_AVX2)
#include <immintrin.h>

/* 4 streams per register; the last n % 4 through the portable loop. */
__attribute__((target("avx2"))) static void words_avx2(uint64_t seed, uint64_t first, uint64_t b,
                                                        int n, uint32_t *w0, uint32_t *w1,
                                                        uint32_t *w2, uint32_t *w3)
{
    const __m256i m0 = _mm256_set1_epi64x(PHILOX_M0), m1 = _mm256_set1_epi64x(PHILOX_M1);
    const __m256i lane = _mm256_set_epi64x(3, 2, 1, 0);
    const __m256i low = _mm256_set1_epi64x(0xffffffff);
    const __m256i pack = _mm256_set_epi32(7, 7, 7, 7, 6, 4, 2, 0);   /* the lanes' low halves */
    int i = 0;
    for (; i + 4 <= n; i += 4) {
        __m256i stream =
            _mm256_add_epi64(_mm256_set1_epi64x((long long)(first + (uint64_t)i)), lane);
        __m256i x0 = _mm256_set1_epi64x((uint32_t)b), x1 = _mm256_set1_epi64x((uint32_t)(b >> 32));
        __m256i x2 = _mm256_and_si256(stream, low), x3 = _mm256_srli_epi64(stream, 32);
        uint32_t k0 = (uint32_t)seed, k1 = (uint32_t)(seed >> 32);
        for (int round = 0; round < 10; round++) {
            __m256i p0 = _mm256_mul_epu32(x0, m0), p1 = _mm256_mul_epu32(x2, m1);
            x0 = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(p1, 32), x1),
                                  _mm256_set1_epi64x(k0));
            x1 = p1;
            x2 = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(p0, 32), x3),
                                  _mm256_set1_epi64x(k1));
            x3 = p0;
            k0 += PHILOX_W0;
            k1 += PHILOX_W1;
        }
        _mm_storeu_si128((__m128i *)(w0 + i),
                         _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(x0, pack)));
        _mm_storeu_si128((__m128i *)(w1 + i),
                         _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(x1, pack)));
        _mm_storeu_si128((__m128i *)(w2 + i),
                         _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(x2, pack)));
        _mm_storeu_si128((__m128i *)(w3 + i),
                         _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(x3, pack)));
    }
    philox_words_portable(seed, first + (uint64_t)i, b, n - i, w0 + i, w1 + i, w2 + i, w3 + i);
}
#endif

philox_words_fn philox_words_avx512_if_any(void)
{
#if defined(__x86_64__) && defined(THIRST_CPU_WORDS_AVX512)
    /* The CPU that gets the x86-64-v4 clone of the batch loops. */
    if (__builtin_cpu_supports("x86-64-v4")) return words_avx512;
#endif
    return NULL;
}

philox_words_fn philox_words_avx2_if_any(void)
{
#if defined(__x86_64__) && defined(THIRST_CPU_WORDS_AVX2)
    if (__builtin_cpu_supports("avx2")) return words_avx2;
#endif
    return NULL;
}

philox_words_fn philox_words_for_cpu(void)
{
    philox_words_fn f = philox_words_avx512_if_any();
    if (!f) f = philox_words_avx2_if_any();
    return f ? f : philox_words_portable;
}
