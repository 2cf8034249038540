# Sourced by benchmarks that score with VMAF: sets $exe to the ffmpeg executable of the PyPI
# package imageio-ffmpeg (it has libvmaf and lavfi), installed with pip into bench/.venv (ignored
# by git) on the first run. The product itself never uses it.
# Needs $here (the bench folder) and log().

imageio_spec="imageio-ffmpeg>=0.5,<0.9"
venv="$here/.venv"

ffmpeg_exe() {
  "$venv/bin/python" -c 'import imageio_ffmpeg; print(imageio_ffmpeg.get_ffmpeg_exe())' 2>/dev/null
}

exe="$( [[ -x "$venv/bin/python" ]] && ffmpeg_exe || true)"
if [[ -z "$exe" ]]; then
  log "installing '$imageio_spec' into $venv (pip)"
  if [[ ! -x "$venv/bin/python" ]]; then
    python3 -m venv "$venv" >&2
  fi
  "$venv/bin/python" -m pip install -q --disable-pip-version-check "$imageio_spec" >&2
  exe="$(ffmpeg_exe || true)"
fi
filters="$( [[ -n "$exe" ]] && "$exe" -hide_banner -filters 2>/dev/null || true)"
if [[ "$filters" != *" libvmaf "* ]]; then
  log "the ffmpeg of imageio-ffmpeg in $venv is missing or has no libvmaf ('$exe')"
  exit 1
fi
