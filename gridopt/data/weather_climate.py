"""Calibration of the synthetic weather: the Hexi-corridor climate and its reference sites.

:class:`SyntheticClimate` holds every constant of :func:`gridopt.data.weather_synthetic.
synthetic_weather`; :data:`HEXI_CORRIDOR` is the calibrated Jiayuguan-Jiuquan-Guazhou climate,
each constant with its source or an **assumption** label (also in ``docs/data_weather.md``,
"Calibration constants").
"""

from __future__ import annotations

from dataclasses import dataclass

from gridopt.data.generators import Site

#: Jiayuguan (DOMAIN.md: public gazetteer).
JIAYUGUAN = Site("jiayuguan", 39.773, 98.288, 1660.0, "Asia/Shanghai")
#: **Assumption**: a representative point of the Guazhou/Yumen wind area (about 40.5 N,
#: 96.5-97.0 E, about 1,400 m); the farms spread over ~100 km.
GUAZHOU_YUMEN_WIND = Site("guazhou_yumen_wind", 40.5, 96.75, 1400.0, "Asia/Shanghai")


@dataclass(frozen=True)
class SyntheticClimate:
    """Calibration constants of the synthetic weather generator (one place for all of them).

    Monthly tuples hold January..December; :func:`synthetic_weather` interpolates them
    smoothly (periodic, linear between mid-month days). See ``docs/data_weather.md`` for the
    source or assumption behind each default in :data:`HEXI_CORRIDOR`.

    Solar
        clear_index_monthly : mean daily clear-sky index Kc = GHI / clear-sky GHI [-]
        clear_index_max : largest daily Kc (clearest days) [-]
        clear_index_spread : spread of the logistic daily-Kc transform [-]
        cloud_day_ar1 : day-to-day persistence of the daily cloud state [-]
        cloud_hour_sd : within-day variability of hourly Kc, per unit cloudiness (1 - Kc) [-]
        cloud_hour_ar1 : hour-to-hour persistence of that variability [-]
        cloud_year_sd : year-to-year spread of the mean daily cloud state [-] (Gaussian
            units; the daily state is centred per calendar quarter and this anomaly added)
        linke_turbidity_monthly : None to use pvlib's bundled climatology
            (``lookup_linke_turbidity``), else 12 values [-]
    Temperature
        temp_monthly_mean_c : monthly mean air temperature at ``temp_ref_altitude_m`` [degC]
        temp_ref_altitude_m : altitude the temperatures refer to [m]
        temp_lapse_c_per_m : lapse rate used to move them to a site's altitude [degC/m]
        temp_diurnal_range_c : mean daily max minus min [degC]
        temp_max_solar_hour : local solar hour of the daily maximum [h]
        temp_day_sd_c, temp_day_ar1 : daily temperature anomaly, AR(1) [degC], [-]
    Wind (at ``wind_ref_height_m``)
        wind_ref_height_m : height the synthetic wind speed is given at [m]
        wind_mean_ms : annual mean wind speed [m/s]
        wind_weibull_k : Weibull shape of the hourly speeds [-]
        wind_monthly_factor : monthly mean relative to the annual mean [-]
        wind_diurnal_amplitude : relative amplitude of the daily cycle [-]
        wind_max_solar_hour : local solar hour of the daily maximum [h]
        wind_hour_ar1 : hour-to-hour persistence of the Gaussian driver [-]
        wind_cloud_coupling : correlation of the wind driver with daily cloudiness [-]
            (positive: cloudier days are windier, i.e. wind and solar anti-correlated)
        wind_year_sd : year-to-year spread of the annual mean wind speed [-] (relative)
        wind_site_correlation : correlation of the hourly wind driver between two different
            sites drawn with the same seed [-] (1: one regional wind pattern everywhere)
    """

    clear_index_monthly: tuple[float, ...]
    clear_index_max: float
    clear_index_spread: float
    cloud_day_ar1: float
    cloud_hour_sd: float
    cloud_hour_ar1: float
    cloud_year_sd: float
    linke_turbidity_monthly: tuple[float, ...] | None
    temp_monthly_mean_c: tuple[float, ...]
    temp_ref_altitude_m: float
    temp_lapse_c_per_m: float
    temp_diurnal_range_c: float
    temp_max_solar_hour: float
    temp_day_sd_c: float
    temp_day_ar1: float
    wind_ref_height_m: float
    wind_mean_ms: float
    wind_weibull_k: float
    wind_monthly_factor: tuple[float, ...]
    wind_diurnal_amplitude: float
    wind_max_solar_hour: float
    wind_hour_ar1: float
    wind_cloud_coupling: float
    wind_year_sd: float
    wind_site_correlation: float = 1.0


#: The calibrated Hexi-corridor climate (Jiayuguan-Jiuquan-Guazhou). Sources and assumption
#: labels per constant are in ``docs/data_weather.md`` ("Calibration constants"); the
#: calibration targets are the full-load hours of DOMAIN.md.
HEXI_CORRIDOR = SyntheticClimate(
    # Shape (assumption): clearest in autumn-winter, spring dust, summer convective cloud;
    # times one scale, calibrated so fixed-tilt PV at Jiayuguan gives ~1,600 h per MWp.
    clear_index_monthly=tuple(
        round(0.945 * k, 4)
        for k in (0.80, 0.78, 0.74, 0.73, 0.73, 0.72, 0.70, 0.72, 0.76, 0.80, 0.80, 0.80)
    ),
    clear_index_max=1.0,
    clear_index_spread=1.8,  # assumption: ~35 % of days with Kc > 0.9, ~14 % below 0.4
    cloud_day_ar1=0.5,  # assumption: weather systems last ~2-3 days
    cloud_hour_sd=0.5,  # assumption
    cloud_hour_ar1=0.7,  # assumption
    cloud_year_sd=0.03,  # calibrated (assumption): year-to-year GHI spread ~1.3 %
    linke_turbidity_monthly=None,  # pvlib's bundled LinkeTurbidities.h5 (works offline)
    # Assumption shaped on the brief's anchors: about -10 degC January, +22 degC July mean at
    # Jiayuguan (1,660 m); continental cycle, annual mean ~7 degC.
    temp_monthly_mean_c=(-9.5, -5.5, 1.5, 9.5, 15.5, 20.0, 22.0, 20.5, 14.5, 7.0, -1.0, -7.5),
    temp_ref_altitude_m=1660.0,
    temp_lapse_c_per_m=-0.0065,  # standard atmosphere
    temp_diurnal_range_c=14.0,  # assumption: arid continental site, clear nights
    temp_max_solar_hour=15.0,  # assumption: usual afternoon maximum
    temp_day_sd_c=3.0,  # assumption
    temp_day_ar1=0.7,  # assumption
    # Wind at 70 m. Mean: CECEP Yumen project page gives 7.89 m/s at 70 m for a good site; the
    # regional default is set lower (calibrated, assumption) so new wind gives 2,600-3,000 h.
    wind_ref_height_m=70.0,
    wind_mean_ms=6.65,
    wind_weibull_k=2.0,  # assumption: typical of open inland sites
    # Assumption: Hexi corridor windiest in spring (Mongolian cyclones, cold fronts, dust),
    # calmest in late summer-autumn.
    wind_monthly_factor=(0.95, 1.00, 1.12, 1.20, 1.12, 1.02, 0.95, 0.90, 0.88, 0.92, 0.98, 0.96),
    wind_diurnal_amplitude=0.10,  # assumption: +/-10 %, maximum in the evening at hub height
    wind_max_solar_hour=19.0,  # assumption
    wind_hour_ar1=0.95,  # assumption: hourly autocorrelation of hub-height wind 0.9-0.97
    wind_cloud_coupling=0.3,  # assumption: fronts and dust bring both wind and cloud
    wind_year_sd=0.02,  # assumption: interannual spread of mean wind speed ~2 %
    # Assumption: hourly wind at sites 50-250 km apart along the corridor correlates about 0.7
    # (one synoptic pattern, local gusts and fronts arriving at different hours), so farms at
    # Guazhou and Jiuquan do not ramp in lockstep.
    wind_site_correlation=0.7,
)
