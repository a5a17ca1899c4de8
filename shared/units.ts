/** Display symbols for the DTDL v3 unit names the plant definitions use. Unknown units show their DTDL name. */
const SYMBOLS: Record<string, string> = {
  percent: "%",
  litre: "L",
  millilitre: "mL",
  cubicMetre: "m³",
  degreeCelsius: "°C",
  degreeFahrenheit: "°F",
  kelvin: "K",
  bar: "bar",
  pascal: "Pa",
  kilopascal: "kPa",
  litrePerSecond: "L/s",
  litrePerHour: "L/h",
  cubicMetrePerHour: "m³/h",
  ampere: "A",
  volt: "V",
  revolutionPerMinute: "rpm",
  hertz: "Hz",
  millimetrePerSecond: "mm/s",
  metrePerSecond: "m/s",
  kilowatt: "kW",
  watt: "W",
  newtonMetre: "N·m",
  second: "s",
  minute: "min",
  hour: "h",
  kilogram: "kg",
  metre: "m",
  centimetre: "cm",
  millimetre: "mm",
  newton: "N",
};

export function unitSymbol(unit: string | null | undefined): string {
  if (!unit) return "";
  return SYMBOLS[unit] ?? unit;
}
