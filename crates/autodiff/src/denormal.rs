//! Flushing denormal floats to zero.
//!
//! A saturated sigmoid produces values around 1e-40, which x86 processors
//! handle in microcode at a hundred times the usual cost. Training does not
//! need that precision, so the training thread sets the FTZ (flush to zero)
//! and DAZ (denormals are zero) bits of MXCSR while it runs.

/// Keeps denormals flushed to zero on this thread until dropped, then
/// restores the previous mode.
#[derive(Debug)]
pub struct FlushDenormals {
    #[cfg_attr(
        not(any(target_arch = "x86_64", target_arch = "aarch64")),
        allow(dead_code)
    )]
    saved: u64,
}

#[cfg(target_arch = "x86_64")]
mod arch {
    const FTZ_DAZ: u32 = (1 << 15) | (1 << 6);

    pub fn read() -> u64 {
        let mut csr: u32 = 0;
        // SAFETY: stmxcsr only stores the control register into `csr`.
        unsafe {
            std::arch::asm!("stmxcsr [{}]", in(reg) &mut csr, options(nostack, preserves_flags))
        };
        u64::from(csr)
    }

    pub fn write(csr: u64) {
        let csr = csr as u32;
        // SAFETY: ldmxcsr loads a value read from the register with only the
        // FTZ/DAZ bits changed; both are valid on every x86_64 processor.
        unsafe { std::arch::asm!("ldmxcsr [{}]", in(reg) &csr, options(nostack, preserves_flags)) };
    }

    pub fn flushing(csr: u64) -> u64 {
        csr | u64::from(FTZ_DAZ)
    }
}

#[cfg(target_arch = "aarch64")]
mod arch {
    const FZ: u64 = 1 << 24;

    pub fn read() -> u64 {
        let fpcr: u64;
        // SAFETY: reading FPCR has no side effects.
        unsafe {
            std::arch::asm!("mrs {}, fpcr", out(reg) fpcr, options(nomem, nostack, preserves_flags))
        };
        fpcr
    }

    pub fn write(fpcr: u64) {
        // SAFETY: only the FZ bit differs from a value read from FPCR.
        unsafe {
            std::arch::asm!("msr fpcr, {}", in(reg) fpcr, options(nomem, nostack, preserves_flags))
        };
    }

    pub fn flushing(fpcr: u64) -> u64 {
        fpcr | FZ
    }
}

#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
mod arch {
    pub fn read() -> u64 {
        0
    }
    pub fn write(_: u64) {}
    pub fn flushing(v: u64) -> u64 {
        v
    }
}

impl FlushDenormals {
    /// Starts flushing denormals on the current thread.
    pub fn enable() -> Self {
        let saved = arch::read();
        arch::write(arch::flushing(saved));
        FlushDenormals { saved }
    }
}

impl Drop for FlushDenormals {
    fn drop(&mut self) {
        arch::write(self.saved);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
    fn denormals_flush_inside_the_guard_only() {
        let tiny = std::hint::black_box(f32::MIN_POSITIVE);
        let half = std::hint::black_box(0.5f32);
        assert!(tiny * half > 0.0, "denormal arithmetic works by default");
        {
            let _guard = FlushDenormals::enable();
            assert_eq!(std::hint::black_box(tiny) * std::hint::black_box(half), 0.0);
        }
        assert!(std::hint::black_box(tiny) * std::hint::black_box(half) > 0.0);
    }
}
