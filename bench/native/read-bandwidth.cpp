// Memory-read bandwidth: each thread sums its own slice of a buffer far larger than the caches, the way a decode
// step streams the weights. Prints one JSON line per run:
//   {"threads":N,"bytes":B,"gbPerSecond":[...],"gbPerCpuSecond":[...]}
// gbPerSecond divides by wall time; gbPerCpuSecond by the slowest thread's own CPU time, which leaves out time
// the threads spent descheduled on a busy machine (an estimate of what an idle machine gives).
// Built at bench time: g++ -O3 -march=native -pthread read-bandwidth.cpp
#include <chrono>
#include <ctime>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

static double thread_cpu_seconds() {
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return now.tv_sec + now.tv_nsec / 1e9;
}

static uint64_t sum_slice(const uint64_t* data, size_t count) {
    // Four accumulators let the compiler keep several vector loads in flight.
    uint64_t a = 0, b = 0, c = 0, d = 0;
    for (size_t i = 0; i + 4 <= count; i += 4) {
        a += data[i];
        b += data[i + 1];
        c += data[i + 2];
        d += data[i + 3];
    }
    return a + b + c + d;
}

int main(int argc, char** argv) {
    const int threads = argc > 1 ? std::atoi(argv[1]) : 1;
    const size_t bytes = (argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1024ull) << 20;
    const int repetitions = argc > 3 ? std::atoi(argv[3]) : 5;
    const size_t words = bytes / sizeof(uint64_t);
    std::vector<uint64_t> buffer(words);
    std::memset(buffer.data(), 1, words * sizeof(uint64_t));
    volatile uint64_t sink = 0;
    std::vector<double> wall, cpu;
    for (int r = 0; r < repetitions; r++) {
        std::vector<std::thread> pool;
        std::vector<uint64_t> sums(threads);
        std::vector<double> cpuSeconds(threads);
        const size_t slice = words / threads;
        auto start = std::chrono::steady_clock::now();
        for (int t = 0; t < threads; t++) {
            pool.emplace_back([&, t] {
                const double begin = thread_cpu_seconds();
                sums[t] = sum_slice(buffer.data() + t * slice, slice);
                cpuSeconds[t] = thread_cpu_seconds() - begin;
            });
        }
        for (auto& thread : pool) thread.join();
        double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        double slowest = 0;
        for (double c : cpuSeconds) slowest = c > slowest ? c : slowest;
        for (uint64_t s : sums) sink += s;
        const double gb = (slice * threads * sizeof(uint64_t)) / 1e9;
        wall.push_back(gb / seconds);
        cpu.push_back(gb / slowest);
    }
    std::printf("{\"threads\":%d,\"bytes\":%zu,\"gbPerSecond\":[", threads, words * sizeof(uint64_t));
    for (size_t i = 0; i < wall.size(); i++) std::printf("%s%.2f", i == 0 ? "" : ",", wall[i]);
    std::printf("],\"gbPerCpuSecond\":[");
    for (size_t i = 0; i < cpu.size(); i++) std::printf("%s%.2f", i == 0 ? "" : ",", cpu[i]);
    std::printf("]}\n");
    return sink == 42 ? 1 : 0;
}
