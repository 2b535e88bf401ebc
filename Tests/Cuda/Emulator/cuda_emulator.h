// A functional CUDA emulator for testing Scratch's kernels on machines without a GPU. Kernel sources
// (*.cu) are compiled as ordinary C++ with this header force-included. Every CUDA thread of a block
// runs as a fiber (ucontext) on one OS thread, switched cooperatively: __syncthreads is a barrier
// over the block's fibers, warp shuffles exchange through a per-warp slot array between two warp
// barriers, and blocks run one after another (so __shared__ arrays can be function statics).
// Inline PTX cannot run here: sources use the two PTX instructions Scratch needs (cvt.rna.tf32.f32
// and mma.sync m16n8k8 tf32) through emulate_* functions below when SCRATCH_EMULATOR is defined.
// It checks what the kernels compute, not how fast, nor memory-ordering subtleties between threads.
#pragma once

#include <ucontext.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <memory>
#include <thread>
#include <tuple>
#include <type_traits>
#include <vector>

struct dim3
{
    unsigned x = 1, y = 1, z = 1;
};

struct alignas(16) float4
{
    float x, y, z, w;
};

struct alignas(16) double2
{
    double x, y;
};

inline double2 make_double2(double x, double y) { return double2{x, y}; }

namespace emu
{
// A barrier among cooperatively scheduled fibers: waiting fibers yield until the generation moves on.
struct Barrier
{
    unsigned expected = 0, arrived = 0, generation = 0;
};

struct Warp
{
    Barrier barrier;
    unsigned long long slots[32];
    float mma_a[16][8], mma_b[8][8]; // the operands of an emulated warp-wide mma
};

inline thread_local dim3 thread_idx, block_idx, block_dim, grid_dim;
inline thread_local Barrier* block_barrier = nullptr;
inline thread_local Warp* warp = nullptr;
inline thread_local unsigned lane = 0;

void yield(); // back to the block's scheduler (emulator.cpp)

inline void arrive_and_wait(Barrier& b)
{
    unsigned generation = b.generation;
    if (++b.arrived == b.expected)
    {
        b.arrived = 0;
        ++b.generation;
        return;
    }
    while (b.generation == generation) yield();
}

// A finished thread leaves the barrier; if everyone else is already waiting, they are released.
inline void arrive_and_drop(Barrier& b)
{
    --b.expected;
    if (b.arrived > 0 && b.arrived == b.expected)
    {
        b.arrived = 0;
        ++b.generation;
    }
}
} // namespace emu

#define threadIdx (emu::thread_idx)
#define blockIdx (emu::block_idx)
#define blockDim (emu::block_dim)
#define gridDim (emu::grid_dim)
#define __global__
#define __device__
#define __forceinline__ inline
#define __shared__ static
#define __restrict__ __restrict
#define __launch_bounds__(...)
#define __align__(n) __attribute__((aligned(n)))

inline void __syncthreads() { emu::arrive_and_wait(*emu::block_barrier); }

template <typename T>
inline T __shfl_xor_sync(unsigned, T value, int mask)
{
    static_assert(sizeof(T) <= 8, "shuffle of at most 8 bytes");
    std::memcpy(&emu::warp->slots[emu::lane], &value, sizeof(T));
    emu::arrive_and_wait(emu::warp->barrier);
    T result;
    std::memcpy(&result, &emu::warp->slots[emu::lane ^ (unsigned)mask], sizeof(T));
    emu::arrive_and_wait(emu::warp->barrier);
    return result;
}

template <typename T>
inline T __shfl_down_sync(unsigned, T value, int delta)
{
    std::memcpy(&emu::warp->slots[emu::lane], &value, sizeof(T));
    emu::arrive_and_wait(emu::warp->barrier);
    T result = value;
    if (emu::lane + (unsigned)delta < 32) std::memcpy(&result, &emu::warp->slots[emu::lane + delta], sizeof(T));
    emu::arrive_and_wait(emu::warp->barrier);
    return result;
}

inline int atomicCAS(int* address, int compare, int value)
{
    std::atomic_ref<int> target(*address);
    target.compare_exchange_strong(compare, value);
    return compare; // the old value (compare_exchange writes it back on failure)
}

inline float __int_as_float(int x) { float f; std::memcpy(&f, &x, 4); return f; }
inline float __uint_as_float(unsigned x) { float f; std::memcpy(&f, &x, 4); return f; }
inline unsigned __float_as_uint(float x) { unsigned u; std::memcpy(&u, &x, 4); return u; }
inline double __longlong_as_double(long long x) { double d; std::memcpy(&d, &x, 8); return d; }
inline unsigned __umulhi(unsigned a, unsigned b) { return (unsigned)(((unsigned long long)a * b) >> 32); }
inline double __dmul_rn(double a, double b) { volatile double r = a * b; return r; }
inline double __dadd_rn(double a, double b) { volatile double r = a + b; return r; }
inline double __dsub_rn(double a, double b) { volatile double r = a - b; return r; }
inline double __dsqrt_rn(double a) { return std::sqrt(a); }

template <typename A, typename B>
inline std::common_type_t<A, B> min(A a, B b) { return a < b ? a : b; }
template <typename A, typename B>
inline std::common_type_t<A, B> max(A a, B b) { return a > b ? a : b; }

namespace emu
{
// Runs body(t) for the threads t of one block as fibers (emulator.cpp), setting the thread's
// built-in variables before each switch.
void run_block(dim3 grid, dim3 block, dim3 block_index, void (*body)(void*), void* context);

template <typename Tuple, typename Kernel>
struct Invocation
{
    Kernel kernel;
    Tuple* args;
    static void run(void* self)
    {
        auto* invocation = static_cast<Invocation*>(self);
        std::apply(invocation->kernel, *invocation->args);
    }
};

// Runs one kernel over the grid, blocks in order.
template <typename... Args, std::size_t... I>
void launch_blocks(void (*kernel)(Args...), dim3 grid, dim3 block, void** params, std::index_sequence<I...>)
{
    using Tuple = std::tuple<std::decay_t<Args>...>;
    Tuple args;
    ((std::memcpy(&std::get<I>(args), params[I], sizeof(std::decay_t<Args>))), ...);
    Invocation<Tuple, void (*)(Args...)> invocation{kernel, &args};
    for (unsigned bz = 0; bz < grid.z; ++bz)
        for (unsigned by = 0; by < grid.y; ++by)
            for (unsigned bx = 0; bx < grid.x; ++bx)
                run_block(grid, block, dim3{bx, by, bz}, &decltype(invocation)::run, &invocation);
}

template <typename... Args>
void launch(void (*kernel)(Args...), dim3 grid, dim3 block, void** params)
{
    launch_blocks(kernel, grid, block, params, std::index_sequence_for<Args...>{});
}

using Launcher = void (*)(dim3, dim3, void**);

// Defined in emulator.cpp: the name-expression -> launcher table the generated sources fill.
void register_kernel(const char* name, Launcher launcher);
} // namespace emu

// cvt.rna.tf32.f32: keep 10 mantissa bits, rounding to nearest with ties away from zero (PTX ISA).
inline unsigned emulate_cvt_rna_tf32(float x)
{
    unsigned bits = __float_as_uint(x);
    if ((bits & 0x7f800000u) == 0x7f800000u) return bits; // Inf and NaN pass through
    return (bits + 0x1000u) & 0xffffe000u;
}

// mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 with D = C (accumulate in place), from the
// PTX ISA fragment layouts (g = lane / 4, t = lane % 4):
//   A 16x8: a0 (g, t), a1 (g + 8, t), a2 (g, t + 4), a3 (g + 8, t + 4)
//   B 8x8:  b0 (k = t, n = g), b1 (k = t + 4, n = g)
//   C 16x8: c0 (g, 2t), c1 (g, 2t + 1), c2 (g + 8, 2t), c3 (g + 8, 2t + 1)
// Each lane writes its fragments into the warp's operand tiles; after a warp barrier every lane
// computes its four outputs; a second barrier keeps the tiles until all have read them.
inline void emulate_mma_m16n8k8_tf32(float (&d)[4], const unsigned (&a)[4], const unsigned (&b)[2])
{
    int g = (int)emu::lane / 4, t = (int)emu::lane % 4;
    auto& A = emu::warp->mma_a;
    auto& B = emu::warp->mma_b;
    A[g][t] = __uint_as_float(a[0]);
    A[g + 8][t] = __uint_as_float(a[1]);
    A[g][t + 4] = __uint_as_float(a[2]);
    A[g + 8][t + 4] = __uint_as_float(a[3]);
    B[t][g] = __uint_as_float(b[0]);
    B[t + 4][g] = __uint_as_float(b[1]);
    emu::arrive_and_wait(emu::warp->barrier);
    int rows[4] = {g, g, g + 8, g + 8}, cols[4] = {2 * t, 2 * t + 1, 2 * t, 2 * t + 1};
    for (int r = 0; r < 4; ++r)
    {
        float sum = d[r];
        for (int k = 0; k < 8; ++k) sum += A[rows[r]][k] * B[k][cols[r]];
        d[r] = sum;
    }
    emu::arrive_and_wait(emu::warp->barrier);
}
