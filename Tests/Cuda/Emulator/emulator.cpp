// The fiber scheduler and kernel table of the CUDA emulator, and its C entry point (see cuda_emulator.h).
#include <map>
#include <string>

namespace emu
{
namespace
{
constexpr std::size_t StackBytes = 256 * 1024;

struct Fiber
{
    ucontext_t context;
    std::vector<char> stack = std::vector<char>(StackBytes);
    dim3 index;
    unsigned lane;
    Warp* warp;
    bool finished;
};

struct Scheduler
{
    ucontext_t main;
    std::vector<std::unique_ptr<Fiber>> fibers;
    Fiber* current = nullptr;
    void (*body)(void*) = nullptr;
    void* context = nullptr;
    Barrier* barrier = nullptr;
};

Scheduler scheduler;

void fiber_entry()
{
    Fiber* self = scheduler.current;
    scheduler.body(scheduler.context);
    // A finished thread no longer takes part in block or warp barriers.
    arrive_and_drop(self->warp->barrier);
    arrive_and_drop(*scheduler.barrier);
    self->finished = true;
    swapcontext(&self->context, &scheduler.main);
}
} // namespace

void yield() { swapcontext(&scheduler.current->context, &scheduler.main); }

void run_block(dim3 grid, dim3 block, dim3 block_index, void (*body)(void*), void* context)
{
    unsigned threads = block.x * block.y * block.z;
    while (scheduler.fibers.size() < threads) scheduler.fibers.push_back(std::make_unique<Fiber>());
    Barrier barrier{threads, 0, 0};
    std::vector<Warp> warps((threads + 31) / 32);
    for (unsigned w = 0; w < warps.size(); ++w) warps[w].barrier.expected = std::min(32u, threads - 32 * w);
    scheduler.body = body;
    scheduler.context = context;
    scheduler.barrier = &barrier;
    for (unsigned t = 0; t < threads; ++t)
    {
        Fiber& fiber = *scheduler.fibers[t];
        fiber.index = dim3{t % block.x, (t / block.x) % block.y, t / (block.x * block.y)};
        fiber.lane = t % 32;
        fiber.warp = &warps[t / 32];
        fiber.finished = false;
        getcontext(&fiber.context);
        fiber.context.uc_stack.ss_sp = fiber.stack.data();
        fiber.context.uc_stack.ss_size = fiber.stack.size();
        fiber.context.uc_link = nullptr;
        makecontext(&fiber.context, fiber_entry, 0);
    }
    block_dim = block;
    grid_dim = grid;
    block_idx = block_index;
    block_barrier = &barrier;
    // Round robin until every fiber has finished; a waiting fiber yields straight back.
    for (unsigned alive = threads; alive > 0;)
    {
        alive = 0;
        for (unsigned t = 0; t < threads; ++t)
        {
            Fiber& fiber = *scheduler.fibers[t];
            if (fiber.finished) continue;
            scheduler.current = &fiber;
            thread_idx = fiber.index;
            lane = fiber.lane;
            warp = fiber.warp;
            swapcontext(&scheduler.main, &fiber.context);
            if (!fiber.finished) ++alive;
        }
    }
}

static std::map<std::string, Launcher>& registry()
{
    static std::map<std::string, Launcher> kernels;
    return kernels;
}

void register_kernel(const char* name, Launcher launcher) { registry()[name] = launcher; }
} // namespace emu

// Runs kernel `name` (an NVRTC name expression, e.g. "unary_contig<float>") with cuLaunchKernel's
// argument convention; returns 0, or 1 when no such kernel was compiled in.
extern "C" int emu_launch(const char* name, unsigned grid_x, unsigned grid_y, unsigned grid_z,
                          unsigned block_x, unsigned block_y, unsigned block_z, void** params)
{
    auto found = emu::registry().find(name);
    if (found == emu::registry().end()) return 1;
    found->second(dim3{grid_x, grid_y, grid_z}, dim3{block_x, block_y, block_z}, params);
    return 0;
}
